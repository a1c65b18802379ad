import { findProject } from '../src/comic/access.ts';
import { actorOf } from '../src/discord/actor.ts';
import { readerPage } from '../src/comic/export/reader.ts';
import { readerMessage } from './buttons/readerPages.ts';
import { subcommand } from './command.ts';
import { readDefinition } from './definitions/read.ts';

/** `/comic read`: the owner posts the comic publicly, one page per message edit; anyone may page through it. */
export const readCommand = subcommand({
	definition: readDefinition,
	async execute(interaction, options, deps) {
		const project = await findProject(deps.db, actorOf(interaction), options.project, 'read');
		await interaction.deferReply();
		// Mature pictures only where this reader is posted is age-restricted (its presses happen there too).
		const shown = await readerPage(deps.generation, project.id, options.page ?? 1, deps.interactionChannels.isAgeRestricted(interaction));
		const { content, files, components, allowedMentions } = readerMessage(project.id, shown);
		await interaction.editReply({ content, files, components, allowedMentions });
	},
});
