import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { projectOption } from '../projectOption.ts';
import { OptionType } from '../types.ts';

export const addMemberDefinition: APIApplicationCommandSubcommandOption = {
	type: OptionType.Subcommand,
	name: 'add',
	description: 'Let someone draw in (editor) or read (viewer) your project',
	options: [
		projectOption,
		{ type: OptionType.User, name: 'user', description: 'Who', required: true },
		{
			type: OptionType.String,
			name: 'role',
			description: 'editor (draws panels; the default) or viewer (reads and exports)',
			required: false,
			choices: [
				{ name: 'editor', value: 'editor' },
				{ name: 'viewer', value: 'viewer' },
			],
		},
	],
};
