import { actorOf } from '../../src/discord/actor.ts';
import { MessageFlags } from 'discord.js';
import { setPanelWords } from '../../src/comic/lettering/setPanelWords.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import { subcommand } from '../command.ts';
import { panelTextDefinition } from '../definitions/panels/text.ts';

const SHOWN = {
	shown: 'Its message shows the new lettering.',
	later: 'It is lettered when its picture is ready.',
	'not-shown': 'Its message could not be edited just now; exports and the reader use the new words.',
} as const;

export const panelTextCommand = subcommand({
	definition: panelTextDefinition,
	async execute(interaction, options, deps) {
		// Private, and deferred: checking the words on the picture and lettering it take a moment.
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const set = await setPanelWords(deps.generation, actorOf(interaction), options.project, options.panel, {
			caption: options.caption,
			dialogue: options.dialogue,
		});
		const what = set.words.caption || set.words.dialogue ? 'New words on' : 'No more words on';
		await interaction.editReply({ content: `${what} panel ${set.number}. ${SHOWN[set.message]} Nothing was redrawn.`, allowedMentions: NO_MENTIONS });
	},
});
