import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { projectOption } from '../projectOption.ts';
import { OptionType } from '../types.ts';
import { captionOption, dialogueOption, panelNumberOption } from './words.ts';

export const panelTextDefinition = {
	type: OptionType.Subcommand,
	name: 'text',
	description: 'Set or clear the words on a panel and letter it again (nothing is redrawn)',
	options: [
		projectOption,
		panelNumberOption,
		captionOption('Narration box; `-` clears it; leave both out to clear all words'),
		dialogueOption('Balloons `Name: words | …`; `-` clears them; left out: kept'),
	],
} as const satisfies APIApplicationCommandSubcommandOption;
