import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { projectOption } from '../projectOption.ts';
import { OptionType } from '../types.ts';

export const showProjectDefinition = {
	type: OptionType.Subcommand,
	name: 'show',
	description: 'A project: its characters and its panels',
	options: [projectOption],
} as const satisfies APIApplicationCommandSubcommandOption;
