import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { projectOption } from './projectOption.ts';
import { OptionType } from './types.ts';

export const exportDefinition = {
	type: OptionType.Subcommand,
	name: 'export',
	description: 'The ready panels assembled as a strip, pages, a PDF or a CBZ',
	options: [
		projectOption,
		{
			type: OptionType.String,
			name: 'layout',
			description: 'A webtoon strip (default) or pages',
			required: false,
			choices: [
				{ name: 'strip', value: 'strip' },
				{ name: 'page', value: 'page' },
			],
		},
		{ type: OptionType.String, name: 'panels', description: 'Which panels, e.g. `1-8` or `3` (default: all)', required: false, max_length: 20 },
		{
			type: OptionType.String,
			name: 'format',
			description: 'jpeg (default), png, webp, pdf or cbz',
			required: false,
			choices: ['jpeg', 'png', 'webp', 'pdf', 'cbz'].map((value) => ({ name: value, value })),
		},
	],
} as const satisfies APIApplicationCommandSubcommandOption;
