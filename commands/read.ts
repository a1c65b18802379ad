import { findProject } from '../src/comic/access.ts';
import { actorOf } from '../src/discord/actor.ts';
import { readerPage } from '../src/comic/export/reader.ts';
import { readerMessage } from './buttons/readerPages.ts';
import type { Subcommand } from './command.ts';

/** `/comic read`: the owner posts the comic publicly, one page per message edit; anyone may page through it. */
export const readCommand: Subcommand = {
	name: 'read',
	async execute(interaction, deps) {
		const project = await findProject(deps.db, actorOf(interaction), interaction.options.getString('project', true), 'read');
		await interaction.deferReply();
		// Mature pictures only where this reader is posted is age-restricted (its presses happen there too).
		const shown = await readerPage(
			deps.generation,
			project.id,
			interaction.options.getInteger('page') ?? 1,
			deps.interactionChannels.isAgeRestricted(interaction),
		);
		const { content, files, components, allowedMentions } = readerMessage(project.id, shown);
		await interaction.editReply({ content, files, components, allowedMentions });
	},
};
