import type { ApplicationCommandOptionType, ChannelType, InteractionContextType } from 'discord.js';

// Discord's numbers as plain constants: the enums of discord.js are runtime code, which deploy-commands
// does not load. `satisfies` checks each number against the enum member it stands for.

export const OptionType = {
	Subcommand: 1,
	SubcommandGroup: 2,
	String: 3,
	Integer: 4,
	Boolean: 5,
	Number: 10,
	User: 6,
	Role: 8,
	Attachment: 11,
	Channel: 7,
} as const satisfies {
	Subcommand: ApplicationCommandOptionType.Subcommand;
	SubcommandGroup: ApplicationCommandOptionType.SubcommandGroup;
	String: ApplicationCommandOptionType.String;
	Integer: ApplicationCommandOptionType.Integer;
	Boolean: ApplicationCommandOptionType.Boolean;
	Number: ApplicationCommandOptionType.Number;
	User: ApplicationCommandOptionType.User;
	Role: ApplicationCommandOptionType.Role;
	Attachment: ApplicationCommandOptionType.Attachment;
	Channel: ApplicationCommandOptionType.Channel;
};

/** The channel types a CHANNEL option may offer. */
export const ChannelKind = { GuildText: 0, GuildForum: 15, GuildMedia: 16 } as const satisfies {
	GuildText: ChannelType.GuildText;
	GuildForum: ChannelType.GuildForum;
	GuildMedia: ChannelType.GuildMedia;
};

export const ContextType = { Guild: 0, BotDM: 1, PrivateChannel: 2 } as const satisfies {
	Guild: InteractionContextType.Guild;
	BotDM: InteractionContextType.BotDM;
	PrivateChannel: InteractionContextType.PrivateChannel;
};
