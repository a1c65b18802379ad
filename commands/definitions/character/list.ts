import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { projectOption } from '../projectOption.ts';
import { OptionType } from '../types.ts';

export const listCharactersDefinition = {
	type: OptionType.Subcommand,
	name: 'list',
	description: 'The characters of a project',
	options: [projectOption],
} as const satisfies APIApplicationCommandSubcommandOption;
