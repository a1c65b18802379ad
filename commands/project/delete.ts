import { orchestratorForUser } from '../../src/accounts/orchestratorForUser.ts';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags } from 'discord.js';
import { deleteProject } from '../../src/comic/deleteProject.ts';
import { UserFacingError } from '../../src/comic/errors.ts';
import { quote } from '../../src/comic/names.ts';
import { findOwnProject, findOwnProjectById } from '../../src/comic/projects.ts';
import { plural } from '../../src/discord/fitText.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { ButtonHandler, Subcommand } from '../command.ts';
import { projectOption } from '../options.ts';

const PREFIX = 'project-delete';

export const deleteProjectCommand: Subcommand = {
	group: 'project',
	name: 'delete',
	define: (builder) => projectOption(builder.setName('delete').setDescription('Delete a project with its characters and panels (asks first)')),
	async execute(interaction, deps) {
		const project = await findOwnProject(deps.db, interaction.user.id, interaction.options.getString('project', true));
		const [characters, panels] = await Promise.all([
			deps.db.character.count({ where: { projectId: project.id } }),
			deps.db.panel.count({ where: { projectId: project.id } }),
		]);
		const buttons = new ActionRowBuilder<ButtonBuilder>().addComponents(
			new ButtonBuilder().setCustomId(`${PREFIX}:confirm:${project.id}`).setLabel('Delete').setStyle(ButtonStyle.Danger),
			new ButtonBuilder().setCustomId(`${PREFIX}:cancel:${project.id}`).setLabel('Cancel').setStyle(ButtonStyle.Secondary),
		);
		await interaction.reply({
			content:
				characters + panels === 0
					? `Delete **${quote(project.name)}**? It has no characters or panels yet.`
					: `Delete **${quote(project.name)}** with its ${plural(characters, 'character')} and ${plural(panels, 'panel')}? Panels still being drawn are canceled. This cannot be undone.`,
			components: [buttons],
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
};

/** The Delete / Cancel buttons of the confirmation: `project-delete:confirm|cancel:<projectId>`. */
export const deleteProjectButtons: ButtonHandler = {
	prefix: PREFIX,
	async execute(interaction, [action, projectId = ''], deps) {
		const done = (content: string) => interaction.update({ content, components: [], allowedMentions: NO_MENTIONS });
		if (action === 'cancel') {
			// Still the owner's to cancel: a refusal (thrown) goes to whoever else pressed it.
			const project = await findOwnProjectById(deps.db, interaction.user.id, projectId);
			await done(
				project ? `Nothing was deleted: **${quote(project.name)}** is still there.` : 'That project no longer exists, so there was nothing to delete.',
			);
			return;
		}
		if (action !== 'confirm') throw new UserFacingError('This button no longer works. Start again with `/comic project delete`.');
		// accounts: per-user key (the workflows were submitted with the owner's key when one is linked)
		const { orchestrator } = await orchestratorForUser(deps.accounts, interaction.user.id);
		const deleted = await deleteProject({ db: deps.db, orchestrator, log: deps.log }, interaction.user.id, projectId);
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
