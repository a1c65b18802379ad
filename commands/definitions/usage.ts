import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { OptionType } from './types.ts';

export const usageDefinition = {
	type: OptionType.Subcommand,
	name: 'usage',
	description: 'Panels and Buzz in the last 24 hours and 30 days',
	options: [{ type: OptionType.User, name: 'user', description: "Another member's usage on this server (Manage Server only)", required: false }],
} as const satisfies APIApplicationCommandSubcommandOption;
