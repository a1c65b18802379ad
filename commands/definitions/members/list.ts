import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { projectOption } from '../projectOption.ts';
import { OptionType } from '../types.ts';

export const listMembersDefinition: APIApplicationCommandSubcommandOption = {
	type: OptionType.Subcommand,
	name: 'list',
	description: 'Who may draw in and read a project',
	options: [projectOption],
};
