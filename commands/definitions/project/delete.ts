import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { projectOption } from '../projectOption.ts';
import { OptionType } from '../types.ts';

export const deleteProjectDefinition = {
	type: OptionType.Subcommand,
	name: 'delete',
	description: 'Delete a project with its characters and panels (asks first)',
	options: [projectOption],
} as const satisfies APIApplicationCommandSubcommandOption;
