import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { projectOption } from './projectOption.ts';
import { ChannelKind, OptionType } from './types.ts';

export const publishDefinition: APIApplicationCommandSubcommandOption = {
	type: OptionType.Subcommand,
	name: 'publish',
	description: 'Post the comic to a forum, media or text channel; publishing again updates that post',
	options: [
		projectOption,
		{
			type: OptionType.Channel,
			name: 'channel',
			description: 'A forum or media channel (a post), or a text channel (a thread)',
			required: true,
			channel_types: [ChannelKind.GuildForum, ChannelKind.GuildMedia, ChannelKind.GuildText],
		},
		{
			type: OptionType.String,
			name: 'panels',
			description: 'A part, e.g. `1-12`: published as its own post (default: the whole comic)',
			required: false,
			max_length: 20,
		},
	],
};
