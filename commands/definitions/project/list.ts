import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { OptionType } from '../types.ts';

export const listProjectsDefinition = {
	type: OptionType.Subcommand,
	name: 'list',
	description: 'Your comic projects, with their characters and panels',
	options: [],
} as const satisfies APIApplicationCommandSubcommandOption;
