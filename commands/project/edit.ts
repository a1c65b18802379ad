import { actorOf } from '../../src/discord/actor.ts';
import { MessageFlags } from 'discord.js';
import { editProject, engineLabel, readingLabel } from '../../src/comic/editProject.ts';
import { quote } from '../../src/comic/names.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { Subcommand } from '../command.ts';

export const editProjectCommand: Subcommand = {
	group: 'project',
	name: 'edit',
	async execute(interaction, deps) {
		const { before, after } = await editProject(deps.db, actorOf(interaction), interaction.options.getString('project', true), {
			name: interaction.options.getString('name'),
			description: interaction.options.getString('description'),
			engine: interaction.options.getString('engine'),
			reading: interaction.options.getString('reading'),
		});
		const lines = [`**Saved** **${quote(after.name)}**.`];
		if (before.name !== after.name) lines.push(`Name: ${quote(before.name)} → ${quote(after.name)}`);
		if (before.description !== after.description) lines.push(`Description: ${after.description ? quote(after.description.slice(0, 300)) : 'none'}`);
		lines.push(`Engine: ${engineLabel(after.engine)}${before.engine === after.engine ? '' : ' (new panels use it; panels already drawing keep theirs)'}`);
		if (before.reading !== after.reading) lines.push(`Reading: ${readingLabel(after.reading)} (pages, the reader, exports and publishing follow it)`);
		await interaction.reply({ content: lines.join('\n'), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
	},
};
