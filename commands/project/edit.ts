import { actorOf } from '../../src/discord/actor.ts';
import { MessageFlags } from 'discord.js';
import { editProject, engineLabel, readingLabel } from '../../src/comic/editProject.ts';
import { quote } from '../../src/comic/names.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import { subcommand } from '../command.ts';
import { editProjectDefinition } from '../definitions/project/edit.ts';

export const editProjectCommand = subcommand({
	definition: editProjectDefinition,
	async execute(interaction, options, deps) {
		const { before, after } = await editProject(deps.db, actorOf(interaction), options.project, {
			name: options.name,
			description: options.description,
			engine: options.engine,
			reading: options.reading,
		});
		const lines = [`**Saved** **${quote(after.name)}**.`];
		if (before.name !== after.name) lines.push(`Name: ${quote(before.name)} → ${quote(after.name)}`);
		if (before.description !== after.description) lines.push(`Description: ${after.description ? quote(after.description.slice(0, 300)) : 'none'}`);
		lines.push(`Engine: ${engineLabel(after.engine)}${before.engine === after.engine ? '' : ' (new panels use it; panels already drawing keep theirs)'}`);
		if (before.reading !== after.reading) lines.push(`Reading: ${readingLabel(after.reading)} (pages, the reader, exports and publishing follow it)`);
		await interaction.reply({ content: lines.join('\n'), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
	},
});
