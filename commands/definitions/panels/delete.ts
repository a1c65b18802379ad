import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { projectOption } from '../projectOption.ts';
import { OptionType } from '../types.ts';
import { panelNumberOption } from './words.ts';

export const panelDeleteDefinition = {
	type: OptionType.Subcommand,
	name: 'delete',
	description: 'Delete a panel; the later ones move up (asks first)',
	options: [projectOption, panelNumberOption],
} as const satisfies APIApplicationCommandSubcommandOption;
