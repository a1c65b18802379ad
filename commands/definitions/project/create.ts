import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { PROJECT_DESCRIPTION_MAX, PROJECT_NAME_MAX } from '../../../src/comic/limits.ts';
import { OptionType } from '../types.ts';

export const createProjectDefinition: APIApplicationCommandSubcommandOption = {
	type: OptionType.Subcommand,
	name: 'create',
	description: 'Start a new comic project',
	options: [
		{
			type: OptionType.String,
			name: 'name',
			description: 'The project name (unique among your projects)',
			required: true,
			min_length: 1,
			max_length: PROJECT_NAME_MAX,
		},
		{ type: OptionType.String, name: 'description', description: 'What the comic is about', required: false, max_length: PROJECT_DESCRIPTION_MAX },
		{
			type: OptionType.Boolean,
			name: 'server',
			description: "The server's comic: every member may draw in it (Manage Server, or the role set in /comic settings)",
			required: false,
		},
	],
};
