import { findPanelToDelete } from '../../src/comic/panels/panelToDelete.ts';
import { actorOf } from '../../src/discord/actor.ts';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { cancelerFor } from '../../src/accounts/orchestratorForUser.ts';
import { removePanel } from '../../src/comic/panels/order.ts';
import { removePictures } from '../../src/comic/storage/pictureFiles.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { ButtonHandler } from '../command.ts';
import { encode } from './customId.ts';
import { checkOwnPrivateMessage } from './pressedMessage.ts';

/** The Delete / Cancel buttons under `/comic panels delete`'s question. */
export function deletePanelConfirmation(projectId: string, panelId: string): ActionRowBuilder<ButtonBuilder> {
	return new ActionRowBuilder<ButtonBuilder>().addComponents(
		new ButtonBuilder()
			.setCustomId(encode('panel-delete', ['confirm', projectId, panelId]))
			.setLabel('Delete')
			.setStyle(ButtonStyle.Danger),
		new ButtonBuilder()
			.setCustomId(encode('panel-delete', ['cancel', projectId, panelId]))
			.setLabel('Cancel')
			.setStyle(ButtonStyle.Secondary),
	);
}

export const deletePanelButtons: ButtonHandler<'panel-delete'> = {
	family: 'panel-delete',
	async execute(interaction, [action, projectId, panelId], deps) {
		const done = (content: string) => interaction.update({ content, components: [], allowedMentions: NO_MENTIONS });
		// The owner's, a moderator's, or the panel's drawer's (a refusal, thrown, goes to whoever else pressed it).
		const project = await findPanelToDelete(deps.db, actorOf(interaction), projectId, panelId);
		// The question is the owner's private reply to `/comic panels delete`: no other message becomes its answer.
		checkOwnPrivateMessage(interaction);
		if (action === 'cancel') {
			await done('Nothing was deleted.');
			return;
		}
		const removed = project ? await removePanel(deps.db, project.id, panelId) : undefined;
		if (!removed) {
			await done('That panel no longer exists, so there was nothing to delete.');
			return;
		}
		deps.log.info({ projectId, panelId, number: removed.number, shifted: removed.shifted }, 'panel deleted');
		// Committed: the panel's picture files go too.
		await removePictures(deps.generation, removed.files, { panelId });
		const moved = removed.shifted ? ` The ${removed.shifted === 1 ? 'panel after it moved' : `${removed.shifted} panels after it moved`} up one.` : '';
		await done(`Deleted panel ${removed.number}.${moved}`);
		// After answering Discord (3 seconds): a workflow still running would spend Buzz for nothing.
		// Each with the key that submitted it (the owner's own, when linked).
		const canceler = cancelerFor(deps.accounts, interaction.user.id);
		for (const { drawingId, workflowId, paidBy, ownerId } of removed.unfinished)
			await (await canceler(paidBy, ownerId))
				.cancel(workflowId)
				.catch((error: unknown) => deps.log.warn({ err: error, drawingId, workflowId }, 'could not cancel the workflow of a deleted panel'));
	},
};
