import type { APIApplicationCommandStringOption } from 'discord.js';
import { OptionType } from './types.ts';

/** The `project` option every project-scoped subcommand shares, first in its options. */
export const projectOption = {
	type: OptionType.String,
	name: 'project',
	description: 'One of your comic projects',
	required: true,
	autocomplete: true,
	max_length: 100,
} as const satisfies APIApplicationCommandStringOption;
