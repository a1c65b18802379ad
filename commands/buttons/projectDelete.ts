import { findProjectById } from '../../src/comic/access.ts';
import { actorOf } from '../../src/discord/actor.ts';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { cancelerFor } from '../../src/accounts/orchestratorForUser.ts';
import { deleteProject } from '../../src/comic/deleteProject.ts';
import { quote } from '../../src/comic/names.ts';
import { plural } from '../../src/discord/fitText.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { ButtonHandler } from '../command.ts';
import { encode } from './customId.ts';
import { checkOwnPrivateMessage } from './pressedMessage.ts';

/** The Delete / Cancel buttons under `/comic project delete`'s question. */
export function deleteProjectConfirmation(projectId: string): ActionRowBuilder<ButtonBuilder> {
	return new ActionRowBuilder<ButtonBuilder>().addComponents(
		new ButtonBuilder()
			.setCustomId(encode('project-delete', ['confirm', projectId]))
			.setLabel('Delete')
			.setStyle(ButtonStyle.Danger),
		new ButtonBuilder()
			.setCustomId(encode('project-delete', ['cancel', projectId]))
			.setLabel('Cancel')
			.setStyle(ButtonStyle.Secondary),
	);
}

export const deleteProjectButtons: ButtonHandler<'project-delete'> = {
	family: 'project-delete',
	async execute(interaction, [action, projectId], deps) {
		const done = (content: string) => interaction.update({ content, components: [], allowedMentions: NO_MENTIONS });
		// Still the owner's: a refusal (thrown) goes to whoever else pressed it. Then the question must be the
		// owner's private reply to `/comic project delete`: no other message becomes its answer.
		const project = await findProjectById(deps.db, actorOf(interaction), projectId, 'own');
		checkOwnPrivateMessage(interaction);
		if (action === 'cancel') {
			await done(
				project ? `Nothing was deleted: **${quote(project.name)}** is still there.` : 'That project no longer exists, so there was nothing to delete.',
			);
			return;
		}
		// accounts: per-user key (each drawing's workflow is canceled with the key that submitted it: its owner's or the bot's)
		const deleted = await deleteProject(
			{
				db: deps.db,
				botOrchestrator: deps.generation.botOrchestrator,
				log: deps.log,
				images: deps.generation.images,
				cancelerFor: cancelerFor(deps.accounts, interaction.user.id),
			},
			actorOf(interaction),
			projectId,
		);
		if (!deleted) {
			await done('That project no longer exists, so there was nothing to delete.');
			return;
		}
		const canceling = deleted.canceling ? ` ${plural(deleted.canceling, 'panel')} still being drawn ${deleted.canceling === 1 ? 'was' : 'were'} canceled.` : '';
		// Answer Discord first (3 seconds), then wait for the orchestrator, which may be slow.
		await done(`Deleted **${quote(deleted.name)}**, its ${plural(deleted.characters, 'character')} and ${plural(deleted.panels, 'panel')}.${canceling}`);
		await deleted.canceled;
	},
};
