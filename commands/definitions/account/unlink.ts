import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { OptionType } from '../types.ts';

export const unlinkAccountDefinition: APIApplicationCommandSubcommandOption = {
	type: OptionType.Subcommand,
	name: 'unlink',
	description: 'Delete your linked Civitai key from the bot',
};
