import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { projectOption } from '../projectOption.ts';
import { OptionType } from '../types.ts';

export const removeMemberDefinition: APIApplicationCommandSubcommandOption = {
	type: OptionType.Subcommand,
	name: 'remove',
	description: "Take someone's access to a project away (on a server's comic: Manage Server too)",
	options: [projectOption, { type: OptionType.User, name: 'user', description: 'Who', required: true }],
};
