import { findProject } from '../../src/comic/access.ts';
import { actorOf } from '../../src/discord/actor.ts';
import { MessageFlags } from 'discord.js';
import { quote } from '../../src/comic/names.ts';
import { movePanel } from '../../src/comic/panels/order.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { Subcommand } from '../command.ts';

export const panelMoveCommand: Subcommand = {
	group: 'panels',
	name: 'move',
	async execute(interaction, deps) {
		const project = await findProject(deps.db, actorOf(interaction), interaction.options.getString('project', true), 'draw');
		const moved = await movePanel(deps.db, project.id, interaction.options.getInteger('panel', true), interaction.options.getInteger('to', true));
		deps.log.info({ projectId: project.id, panelId: moved.panelId, from: moved.from, to: moved.to }, 'panel moved');
		const content =
			moved.from === moved.to
				? `Panel ${moved.from} of **${quote(project.name)}** is already there.`
				: `Moved panel ${moved.from} of **${quote(project.name)}** to position ${moved.to}; the panels between shifted by one.`;
		await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
	},
};
