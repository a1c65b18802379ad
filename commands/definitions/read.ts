import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { PANEL_NUMBER_MAX } from '../../src/comic/limits.ts';
import { projectOption } from './projectOption.ts';
import { OptionType } from './types.ts';

export const readDefinition = {
	type: OptionType.Subcommand,
	name: 'read',
	description: 'Post the comic in this channel, a page at a time, for anyone to page through',
	options: [
		projectOption,
		{ type: OptionType.Integer, name: 'page', description: 'The page to open at (default 1)', required: false, min_value: 1, max_value: PANEL_NUMBER_MAX },
	],
} as const satisfies APIApplicationCommandSubcommandOption;
