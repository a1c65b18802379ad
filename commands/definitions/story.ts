import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { STORY_PANELS_MAX, STORY_PANELS_MIN, STORY_TEXT_MAX } from '../../src/comic/limits.ts';
import { projectOption } from './projectOption.ts';
import { OptionType } from './types.ts';

export const storyDefinition = {
	type: OptionType.Subcommand,
	name: 'story',
	description: 'Plan a story as a sequence of panels, then draw them all',
	options: [
		projectOption,
		{ type: OptionType.String, name: 'story', description: 'What happens, in your own words', required: true, min_length: 1, max_length: STORY_TEXT_MAX },
		{
			type: OptionType.Integer,
			name: 'panels',
			description: `How many panels (${STORY_PANELS_MIN} to ${STORY_PANELS_MAX}; default: as the story needs)`,
			required: false,
			min_value: STORY_PANELS_MIN,
			max_value: STORY_PANELS_MAX,
		},
	],
} as const satisfies APIApplicationCommandSubcommandOption;
