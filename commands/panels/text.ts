import { actorOf } from '../../src/discord/actor.ts';
import { MessageFlags } from 'discord.js';
import { setPanelWords } from '../../src/comic/lettering/setPanelWords.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { Subcommand } from '../command.ts';

const SHOWN = {
	shown: 'Its message shows the new lettering.',
	later: 'It is lettered when its picture is ready.',
	'not-shown': 'Its message could not be edited just now; exports and the reader use the new words.',
} as const;

export const panelTextCommand: Subcommand = {
	group: 'panels',
	name: 'text',
	async execute(interaction, deps) {
		// Private, and deferred: checking the words on the picture and lettering it take a moment.
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const set = await setPanelWords(
			deps.generation,
			actorOf(interaction),
			interaction.options.getString('project', true),
			interaction.options.getInteger('panel', true),
			{
				caption: interaction.options.getString('caption'),
				dialogue: interaction.options.getString('dialogue'),
			},
		);
		const what = set.words.caption || set.words.dialogue ? 'New words on' : 'No more words on';
		await interaction.editReply({ content: `${what} panel ${set.number}. ${SHOWN[set.message]} Nothing was redrawn.`, allowedMentions: NO_MENTIONS });
	},
};
