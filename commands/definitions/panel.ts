import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { PANEL_NUMBER_MAX, PANEL_PROMPT_MAX } from '../../src/comic/limits.ts';
import { captionOption, dialogueOption } from './panels/words.ts';
import { projectOption } from './projectOption.ts';
import { OptionType } from './types.ts';

export const panelDefinition = {
	type: OptionType.Subcommand,
	name: 'panel',
	description: 'Draw a comic panel with one of your characters',
	options: [
		projectOption,
		{ type: OptionType.String, name: 'prompt', description: 'What happens in the panel', required: true, min_length: 1, max_length: PANEL_PROMPT_MAX },
		{
			type: OptionType.String,
			name: 'character',
			description: 'Who is in it (optional when the project has one character)',
			required: false,
			autocomplete: true,
			max_length: 100,
		},
		{
			type: OptionType.Boolean,
			name: 'enhance',
			description: 'Let an AI rewrite the prompt into a detailed comic-panel prompt (default: on)',
			required: false,
		},
		{
			type: OptionType.Integer,
			name: 'takes',
			description: 'Pictures to draw at once, to choose from (1-4, default 1)',
			required: false,
			min_value: 1,
			max_value: 4,
		},
		{
			type: OptionType.Integer,
			name: 'follow',
			description: 'A ready panel whose picture this one continues (same place, next moment; picture engines only)',
			required: false,
			autocomplete: true,
			min_value: 1,
			max_value: PANEL_NUMBER_MAX,
		},
		captionOption('A narration box lettered on the panel'),
		dialogueOption('Speech balloons: `Mira: Run! | Rex: Not without the map.`'),
	],
} as const satisfies APIApplicationCommandSubcommandOption;
