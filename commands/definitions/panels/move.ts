import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { PANEL_NUMBER_MAX } from '../../../src/comic/limits.ts';
import { projectOption } from '../projectOption.ts';
import { OptionType } from '../types.ts';
import { panelNumberOption } from './words.ts';

export const panelMoveDefinition = {
	type: OptionType.Subcommand,
	name: 'move',
	description: 'Move a panel to another position; the others shift',
	options: [
		projectOption,
		panelNumberOption,
		{ type: OptionType.Integer, name: 'to', description: 'Its new position (1 is first)', required: true, min_value: 1, max_value: PANEL_NUMBER_MAX },
	],
} as const satisfies APIApplicationCommandSubcommandOption;
