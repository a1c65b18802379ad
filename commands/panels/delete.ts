import { findProjectAccess, mayUsePanel, refusal } from '../../src/comic/access.ts';
import { actorOf } from '../../src/discord/actor.ts';
import { MessageFlags } from 'discord.js';
import { quote } from '../../src/comic/names.ts';
import { noSuchPanel } from '../../src/comic/panels/order.ts';
import { checkPanelNumber } from '../../src/comic/panels/panelNumber.ts';
import { oneLine } from '../../src/discord/fitText.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import { deletePanelConfirmation } from '../buttons/panelDelete.ts';
import type { Subcommand } from '../command.ts';

export const panelDeleteCommand: Subcommand = {
	group: 'panels',
	name: 'delete',
	async execute(interaction, deps) {
		const actor = actorOf(interaction);
		const { project, access } = await findProjectAccess(deps.db, actor, interaction.options.getString('project', true), 'draw');
		const number = checkPanelNumber(interaction.options.getInteger('panel', true));
		const panel = await deps.db.panel.findUnique({
			where: { projectId_number: { projectId: project.id, number } },
			select: { id: true, prompt: true, ownerId: true },
		});
		if (!panel) throw noSuchPanel(number, await deps.db.panel.count({ where: { projectId: project.id } }));
		// An editor deletes the panels they drew; the owner (and a moderator) any.
		if (!mayUsePanel(access, panel, actor, 'delete')) throw refusal(project, access, 'moderate');
		await interaction.reply({
			content: `Delete panel ${number} of **${quote(project.name)}** (“${quote(oneLine(panel.prompt, 80))}”)? The panels after it move up one. This cannot be undone.`,
			components: [deletePanelConfirmation(project.id, panel.id)],
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
};
