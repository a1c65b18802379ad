import {
	type APIApplicationCommandBasicOption,
	type APIApplicationCommandSubcommandOption,
	type APIInteractionDataResolvedChannel,
	type APIInteractionDataResolvedGuildMember,
	type APIRole,
	ApplicationCommandOptionType,
	type Attachment,
	type CategoryChannel,
	type ChatInputCommandInteraction,
	type ForumChannel,
	type GuildMember,
	type MediaChannel,
	type NewsChannel,
	type Role,
	type StageChannel,
	type TextChannel,
	type ThreadChannel,
	type User,
	type VoiceChannel,
} from 'discord.js';
import type { OptionType } from './definitions/types.ts';

/**
 * Options typed from the definitions (docs/decisions/025-typed-commands-and-acknowledgements.md). A definition is plain data declared
 * `as const satisfies APIApplicationCommandSubcommandOption`, so its option names, types, `required` flags and
 * choices survive as literal types; `OptionsOf` turns them into the shape its handler reads, and `readOptions`
 * reads that shape from an interaction. A renamed option, a wrong type or a forgotten `null` is a compile error.
 */

/** A channel option's value, as discord.js resolves it. */
type ChannelValue =
	| APIInteractionDataResolvedChannel
	| CategoryChannel
	| ForumChannel
	| MediaChannel
	| NewsChannel
	| StageChannel
	| TextChannel
	| ThreadChannel
	| VoiceChannel;

/** A role or member option's value: discord.js's class when the guild is cached, the raw payload otherwise. */
type RoleValue = Role | APIRole;
type MemberValue = GuildMember | APIInteractionDataResolvedGuildMember;

/** The values a choice list allows, or `Otherwise` when it has none (or its values are not literals). */
type Chosen<O, Otherwise> = O extends { readonly choices: readonly { readonly value: infer V }[] } ? V : Otherwise;

/**
 * An option as a definition declares it, read structurally: `as const` makes a definition's arrays readonly, which
 * discord.js's (mutable) option types do not match inside a conditional type.
 */
type DeclaredOption = { readonly type: number; readonly name: string; readonly required?: boolean };

/** Discord's option type numbers: OptionType's (definitions/types.ts), and those no definition uses yet. */
type Kind = typeof OptionType & { readonly Channel: 7; readonly Role: 8; readonly Mentionable: 9 };

/** The value of one option, by its type. */
export type OptionValue<O extends DeclaredOption> = O['type'] extends Kind['String']
	? Chosen<O, string>
	: O['type'] extends Kind['Integer'] | Kind['Number']
		? Chosen<O, number>
		: O['type'] extends Kind['Boolean']
			? boolean
			: O['type'] extends Kind['User']
				? User
				: O['type'] extends Kind['Attachment']
					? Attachment
					: O['type'] extends Kind['Channel']
						? ChannelValue
						: O['type'] extends Kind['Role']
							? RoleValue
							: O['type'] extends Kind['Mentionable']
								? User | MemberValue | RoleValue
								: never;

/**
 * A required text, number or boolean option is always there (checkOptions refused the interaction otherwise); any
 * other may be null. A user, attachment, channel or role comes from the payload's `resolved` block, which another
 * client may leave out even for a required option: those are always nullable, for the handler to refuse plainly.
 */
type Given<O extends DeclaredOption> = O extends { readonly required: true }
	? O['type'] extends Kind['String'] | Kind['Integer'] | Kind['Number'] | Kind['Boolean']
		? OptionValue<O>
		: OptionValue<O> | null
	: OptionValue<O> | null;

/** What a subcommand's handler reads: one property per option of its definition, named as it is. */
export type OptionsOf<D> = D extends {
	readonly options: readonly (infer O extends DeclaredOption)[];
}
	? { readonly [Option in O as Option['name']]: Given<Option> }
	: Record<never, never>;

/**
 * A whole command's options, when it has subcommands (and groups of them): the subcommand that was used,
 * with its own options. The dispatcher routes by definition, so handlers only ever see `OptionsOf` of theirs;
 * this is for a command read as one.
 */
export type CommandOptionsOf<D> = D extends { readonly options: readonly (infer O)[] } ? Used<O> : never;

/** One option of a command as it was used: a subcommand, or one of a group's; distributes over a union of options. */
type Used<O> = O extends { readonly type: typeof OptionType.Subcommand; readonly name: string }
	? Leaf<O, null>
	: O extends { readonly type: typeof OptionType.SubcommandGroup; readonly name: infer Group; readonly options: readonly (infer S)[] }
		? Leaf<S, Group>
		: never;
type Leaf<S, Group> = S extends { readonly type: typeof OptionType.Subcommand; readonly name: string }
	? { readonly group: Group; readonly subcommand: S['name']; readonly options: OptionsOf<S> }
	: never;

/** Any option's value as read at run time, before the definition's type says which it is. */
type AnyValue = string | number | boolean | User | Attachment | ChannelValue | RoleValue | MemberValue | null;

/**
 * Reads the options of `definition` from an interaction of that subcommand (gateway or HTTP: both arrive as
 * discord.js interactions). Called after `checkOptions` checked every given option against the same definition
 * (its type, range, choices, and that every required one is there), so each getter below reads a value of the
 * declared type; the getters themselves would throw on a mismatch rather than return a wrong one.
 */
export function readOptions<const D extends APIApplicationCommandSubcommandOption>(definition: D, interaction: ChatInputCommandInteraction): OptionsOf<D>;
export function readOptions(definition: APIApplicationCommandSubcommandOption, interaction: ChatInputCommandInteraction): Record<string, AnyValue> {
	const read: Record<string, AnyValue> = {};
	for (const option of definition.options ?? []) read[option.name] = readOne(interaction, option);
	return read;
}

function readOne(interaction: ChatInputCommandInteraction, option: APIApplicationCommandBasicOption): AnyValue {
	const { options } = interaction;
	// Only primitives are read as required: a resolved object missing from the payload reads as null, not a throw.
	const required = option.required === true;
	switch (option.type) {
		case ApplicationCommandOptionType.String:
			return options.getString(option.name, required);
		case ApplicationCommandOptionType.Integer:
			return options.getInteger(option.name, required);
		case ApplicationCommandOptionType.Number:
			return options.getNumber(option.name, required);
		case ApplicationCommandOptionType.Boolean:
			return options.getBoolean(option.name, required);
		case ApplicationCommandOptionType.User:
			return options.getUser(option.name);
		case ApplicationCommandOptionType.Attachment:
			return options.getAttachment(option.name);
		case ApplicationCommandOptionType.Channel:
			return options.getChannel(option.name);
		case ApplicationCommandOptionType.Role:
			return options.getRole(option.name);
		case ApplicationCommandOptionType.Mentionable:
			return options.getMentionable(option.name);
	}
}
