// Payload builders for the fake Discord: snowflakes, users and INTERACTION_CREATE bodies shaped like the
// real gateway sends them, so discord.js builds the same interaction classes it would in production.
import { randomBytes } from 'node:crypto';

const DISCORD_EPOCH = 1420070400000n;
let lastSnowflake = 0n;

/** Timestamp-based snowflakes that strictly increase, even for many ids in the same millisecond. */
export function snowflake(): string {
	const next = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
	lastSnowflake = next > lastSnowflake ? next : lastSnowflake + 1n;
	return lastSnowflake.toString();
}

export function randomToken(id: string = snowflake()): string {
	// Shaped like Discord's: base64url of `interaction:{id}:{random}`, about 200 characters, so that
	// tests of what reaches the logs look for a token as long and as opaque as a real one.
	return Buffer.from(`interaction:${id}:${randomBytes(96).toString('base64url')}`).toString('base64url');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ApiUser {
	id: string;
	username: string;
	discriminator: string;
	avatar: null;
	global_name: string | null;
	bot?: boolean;
}

export function apiUser(id: string, username: string): ApiUser {
	return { id, username, discriminator: '0', avatar: null, global_name: username };
}

export const DEFAULT_USER_ID = '100000000000000001';
export const DEFAULT_GUILD_ID = '200000000000000001';
export const DEFAULT_CHANNEL_ID = '300000000000000001';
/** Administrator-free but broad: view, send, embed, attach, read history, use commands, etc. */
export const DEFAULT_PERMISSIONS = '2248473465835073';

export type OptionValue = string | number | boolean;

export interface CommandInput {
	name?: string;
	group?: string;
	subcommand?: string;
	options?: Record<string, OptionValue>;
	userId?: string;
	username?: string;
	channelId?: string;
	/** null means a DM with the bot: the payload then carries `user` instead of `member`. */
	guildId?: string | null;
	channelNsfw?: boolean;
	appPermissions?: string;
	/** The member's permissions in the guild (bit field as a string); the default has no Manage Server. */
	memberPermissions?: string;
	/** The ids of the member's roles in the guild (none by default). */
	memberRoles?: string[];
	/** CHANNEL options (type 7): option name → id of a channel made with `addChannel`; Discord sends it in `resolved`. */
	channels?: Record<string, string>;
	/** USER options (type 6): option name → user id; Discord sends the users in `resolved`. */
	users?: Record<string, string>;
	/** ROLE options (type 8): option name → role id. */
	roles?: Record<string, string>;
	/**
	 * `data.options` exactly as given, instead of the tree built from `group`, `subcommand` and `options`:
	 * what a stale registration or another client sends (options of another type, unknown ones, none).
	 */
	rawOptions?: unknown[];
	/**
	 * ATTACHMENT options (type 11): option name → a file the user uploaded. Discord sends the attachment
	 * (id, filename, size, CDN url) in `resolved`; the fake serves its bytes at that URL until `gone`.
	 */
	attachments?: Record<string, CommandAttachment>;
}

export interface CommandAttachment {
	filename: string;
	data: Buffer;
	contentType?: string;
	/** The CDN answers 404 (the link died, as Discord's do within a day). */
	gone?: boolean;
	/** Set by the fake when it sends the command. */
	id?: string;
}

export interface AutocompleteInput extends CommandInput {
	/** Name of the option the user is typing in. */
	focused: string;
}

/** The `resolved` block of a command whose USER options name these users and whose ATTACHMENT options carry these files. */
export function resolvedUsers(input: CommandInput, attachmentUrl?: (id: string, filename: string) => string): Record<string, unknown> {
	const ids = Object.values(input.users ?? {});
	const files = Object.values(input.attachments ?? {});
	if (ids.length === 0 && files.length === 0) return {};
	const resolved: Record<string, unknown> = {};
	if (ids.length > 0) resolved.users = Object.fromEntries(ids.map((id) => [id, apiUser(id, `user${id.slice(-4)}`)]));
	if (files.length > 0)
		resolved.attachments = Object.fromEntries(
			files.map((file) => {
				const id = file.id ?? snowflake();
				file.id = id;
				const url = attachmentUrl?.(id, file.filename) ?? `https://cdn.discordapp.com/ephemeral-attachments/${id}/${file.filename}`;
				return [
					id,
					{
						id,
						filename: file.filename,
						size: file.data.length,
						url,
						proxy_url: url,
						...(file.contentType ? { content_type: file.contentType } : {}),
						ephemeral: true,
					},
				];
			}),
		);
	return { resolved };
}

/**
 * A modal's submission as Discord sends it: its custom id and what was typed in its text inputs, by
 * their custom ids; each text input (type 4) inside a Label (type 18), or inside a legacy action row
 * (type 1) when `legacyRows` is set.
 */
export interface ModalInput {
	customId: string;
	/** The message whose button opened the modal: Discord sends it with the submission (none for a command's modal). */
	messageId?: string;
	fields?: Record<string, string>;
	legacyRows?: boolean;
	userId?: string;
	username?: string;
	channelId?: string;
	guildId?: string | null;
	appPermissions?: string;
	memberPermissions?: string;
}

export function modalSubmitData(input: ModalInput): Record<string, unknown> {
	let id = 1;
	const components = Object.entries(input.fields ?? {}).map(([customId, value]) => {
		const text = { type: 4, id: id + 1, custom_id: customId, value };
		const wrapper = input.legacyRows ? { type: 1, id, components: [text] } : { type: 18, id, component: text };
		id += 2;
		return wrapper;
	});
	return { custom_id: input.customId, components };
}

export interface ButtonInput {
	customId: string;
	messageId: string;
	userId?: string;
	username?: string;
	channelId?: string;
	guildId?: string | null;
	/** Whether the channel of the message is age-restricted (Discord sends the channel with every press). */
	channelNsfw?: boolean;
	appPermissions?: string;
	memberPermissions?: string;
	memberRoles?: string[];
}

/** Who, where and with what permissions an interaction happens; shared by all interaction kinds. */
export interface InteractionContext {
	id: string;
	token: string;
	type: number;
	applicationId: string;
	userId: string;
	username: string;
	channelId: string;
	guildId: string | null;
	channelNsfw: boolean;
	appPermissions: string;
	memberPermissions: string;
	memberRoles: string[];
}

export function contextFrom(
	input: Omit<CommandInput, 'name' | 'group' | 'subcommand' | 'options' | 'users' | 'channels'>,
	base: { id: string; token: string; type: number; applicationId: string },
): InteractionContext {
	const userId = input.userId ?? DEFAULT_USER_ID;
	return {
		...base,
		userId,
		username: input.username ?? `user${userId.slice(-4)}`,
		channelId: input.channelId ?? DEFAULT_CHANNEL_ID,
		guildId: input.guildId === undefined ? DEFAULT_GUILD_ID : input.guildId,
		channelNsfw: input.channelNsfw ?? false,
		appPermissions: input.appPermissions ?? DEFAULT_PERMISSIONS,
		memberPermissions: input.memberPermissions ?? DEFAULT_PERMISSIONS,
		memberRoles: input.memberRoles ?? [],
	};
}

/** Option type numbers from the API: STRING 3, INTEGER 4, BOOLEAN 5, NUMBER 10. */
function leafOption(name: string, value: OptionValue, focused: boolean): Record<string, unknown> {
	let type = 3;
	if (typeof value === 'boolean') type = 5;
	else if (typeof value === 'number') type = Number.isInteger(value) ? 4 : 10;
	return focused ? { type, name, value, focused: true } : { type, name, value };
}

/** Nests leaf options under subcommand (type 1) and group (type 2) the way Discord does. */
export function commandOptions(input: CommandInput, focused?: string): unknown[] {
	if (input.rawOptions) return input.rawOptions;
	const values: Record<string, OptionValue> = { ...input.options };
	// Autocomplete always sends the focused option, even while the user has typed nothing yet.
	if (focused !== undefined && !(focused in values)) values[focused] = '';
	const leaves = Object.entries(values).map(([name, value]) => leafOption(name, value, name === focused));
	for (const [name, id] of Object.entries(input.users ?? {})) leaves.push({ type: 6, name, value: id });
	for (const [name, id] of Object.entries(input.roles ?? {})) leaves.push({ type: 8, name, value: id });
	for (const [name, id] of Object.entries(input.channels ?? {})) leaves.push({ type: 7, name, value: id });
	for (const [name, file] of Object.entries(input.attachments ?? {})) {
		file.id ??= snowflake();
		leaves.push({ type: 11, name, value: file.id });
	}
	if (input.subcommand === undefined) {
		if (input.group !== undefined) throw new Error('A subcommand group needs a subcommand');
		return leaves;
	}
	const sub = { type: 1, name: input.subcommand, options: leaves };
	return input.group === undefined ? [sub] : [{ type: 2, name: input.group, options: [sub] }];
}

type ChannelContext = Pick<InteractionContext, 'channelId' | 'guildId' | 'channelNsfw' | 'userId' | 'username'>;

export function channelPayload(ctx: ChannelContext): Record<string, unknown> {
	if (ctx.guildId === null) {
		return { id: ctx.channelId, type: 1, last_message_id: null, flags: 0, recipients: [apiUser(ctx.userId, ctx.username)] };
	}
	return {
		id: ctx.channelId,
		type: 0,
		guild_id: ctx.guildId,
		name: 'comics',
		nsfw: ctx.channelNsfw,
		position: 0,
		parent_id: null,
		topic: null,
		rate_limit_per_user: 0,
		last_message_id: null,
		permission_overwrites: [],
		flags: 0,
		permissions: DEFAULT_PERMISSIONS,
	};
}

/** The fields every interaction carries; `data` and `message` are added by the caller. */
export function interactionPayload(ctx: InteractionContext): Record<string, unknown> {
	const user = apiUser(ctx.userId, ctx.username);
	const inGuild = ctx.guildId !== null;
	const payload: Record<string, unknown> = {
		id: ctx.id,
		application_id: ctx.applicationId,
		type: ctx.type,
		token: ctx.token,
		version: 1,
		channel_id: ctx.channelId,
		channel: channelPayload(ctx),
		app_permissions: ctx.appPermissions,
		locale: 'en-US',
		entitlements: [],
		// discord.js throws inside its handler (and the event never fires) without these two fields.
		// "0" is the guild install; in a DM with the bot Discord reports the guild owner as "0".
		authorizing_integration_owners: { '0': ctx.guildId ?? '0' },
		context: inGuild ? 0 : 1,
		attachment_size_limit: 10485760,
	};
	if (inGuild) {
		payload['guild_id'] = ctx.guildId;
		payload['guild_locale'] = 'en-US';
		payload['guild'] = { id: ctx.guildId, locale: 'en-US', features: [] };
		payload['member'] = {
			user,
			roles: ctx.memberRoles,
			joined_at: new Date(0).toISOString(),
			premium_since: null,
			permissions: ctx.memberPermissions,
			pending: false,
			nick: null,
			avatar: null,
			deaf: false,
			mute: false,
			flags: 0,
		};
	} else {
		payload['user'] = user;
	}
	return payload;
}
