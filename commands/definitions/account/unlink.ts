import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { OptionType } from '../types.ts';

export const unlinkAccountDefinition = {
	type: OptionType.Subcommand,
	name: 'unlink',
	description: 'Delete your linked Civitai key from the bot',
} as const satisfies APIApplicationCommandSubcommandOption;
