import { findProject } from '../../src/comic/access.ts';
import { actorOf } from '../../src/discord/actor.ts';
import { MessageFlags } from 'discord.js';
import { quote } from '../../src/comic/names.ts';
import { plural } from '../../src/discord/fitText.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import { deleteProjectConfirmation } from '../buttons/projectDelete.ts';
import type { Subcommand } from '../command.ts';

export const deleteProjectCommand: Subcommand = {
	group: 'project',
	name: 'delete',
	async execute(interaction, deps) {
		const project = await findProject(deps.db, actorOf(interaction), interaction.options.getString('project', true), 'own');
		const [characters, panels] = await Promise.all([
			deps.db.character.count({ where: { projectId: project.id } }),
			deps.db.panel.count({ where: { projectId: project.id } }),
		]);
		const buttons = deleteProjectConfirmation(project.id);
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
