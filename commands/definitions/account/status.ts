import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { OptionType } from '../types.ts';

export const accountStatusDefinition = {
	type: OptionType.Subcommand,
	name: 'status',
	description: 'Whether your own Civitai key is linked, and what it has paid',
} as const satisfies APIApplicationCommandSubcommandOption;
