import { findProject } from '../../src/comic/access.ts';
import { actorOf } from '../../src/discord/actor.ts';
import { MessageFlags } from 'discord.js';
import { quote } from '../../src/comic/names.ts';
import { movePanel } from '../../src/comic/panels/order.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import { subcommand } from '../command.ts';
import { panelMoveDefinition } from '../definitions/panels/move.ts';

export const panelMoveCommand = subcommand({
	definition: panelMoveDefinition,
	async execute(interaction, options, deps) {
		const project = await findProject(deps.db, actorOf(interaction), options.project, 'draw');
		const moved = await movePanel(deps.db, project.id, options.panel, options.to);
		deps.log.info({ projectId: project.id, panelId: moved.panelId, from: moved.from, to: moved.to }, 'panel moved');
		const content =
			moved.from === moved.to
				? `Panel ${moved.from} of **${quote(project.name)}** is already there.`
				: `Moved panel ${moved.from} of **${quote(project.name)}** to position ${moved.to}; the panels between shifted by one.`;
		await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
	},
});
