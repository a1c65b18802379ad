import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { OptionType } from '../types.ts';

export const linkAccountDefinition = {
	type: OptionType.Subcommand,
	name: 'link',
	description: 'Link your own Civitai API key: your panels are then paid with your Buzz',
} as const satisfies APIApplicationCommandSubcommandOption;
