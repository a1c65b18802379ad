import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { projectOption } from '../projectOption.ts';
import { OptionType } from '../types.ts';

export const removeCharacterDefinition = {
	type: OptionType.Subcommand,
	name: 'remove',
	description: 'Remove a character from a project (its panels stay)',
	options: [
		projectOption,
		{ type: OptionType.String, name: 'character', description: 'The character to remove', required: true, autocomplete: true, max_length: 100 },
	],
} as const satisfies APIApplicationCommandSubcommandOption;
