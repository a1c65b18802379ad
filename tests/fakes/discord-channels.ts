// Channels of the fake Discord beyond the interaction's own: forum and media channels (type 15/16) with
// their tags, text channels, and the public threads (type 11) a post or a starter message opens. Shapes
// follow discord-api-types (APIGuildForumChannel, APIThreadChannel, APIInteractionDataResolvedChannel).
import { DEFAULT_PERMISSIONS, snowflake } from './discord-interactions.ts';
import { ApiError, formError } from './discord-messages.ts';

/** Channel types the fake knows by number (discord-api-types' ChannelType). */
export const ChannelKind = { Text: 0, PublicThread: 11, Forum: 15, Media: 16 } as const;

/** The permission bits publishing needs (discord-api-types' PermissionFlagsBits). */
export const Permission = {
	ViewChannel: 1n << 10n,
	/** "Create Posts" in a forum or media channel. */
	SendMessages: 1n << 11n,
	AttachFiles: 1n << 15n,
	CreatePublicThreads: 1n << 35n,
	SendMessagesInThreads: 1n << 38n,
} as const;

/** A forum channel's flag: a post must carry at least one tag. */
export const REQUIRE_TAG = 1 << 4;

export interface FakeTag {
	id: string;
	name: string;
	moderated: boolean;
	emoji_id: null;
	emoji_name: null;
}

export interface FakeChannel {
	id: string;
	guildId: string | null;
	type: number;
	name: string;
	nsfw: boolean;
	/** Threads: the channel they belong to. */
	parentId?: string;
	/** Threads: who created them (the bot, for its posts). */
	ownerId?: string;
	availableTags: FakeTag[];
	appliedTags: string[];
	flags: number;
	archived: boolean;
	/** Permissions the bot lacks in the channel (a thread checks its parent's). */
	botDenied: bigint;
	deleted: boolean;
	/** Every PATCH body the channel accepted. */
	patches: unknown[];
}

export interface ChannelInit {
	type: number;
	name?: string;
	nsfw?: boolean;
	guildId?: string | null;
	/** Tag names of a forum or media channel. */
	tags?: readonly string[];
	requireTag?: boolean;
	botDenied?: bigint;
}

export function newChannel(init: ChannelInit, defaultGuildId: string): FakeChannel {
	return {
		id: snowflake(),
		guildId: init.guildId === undefined ? defaultGuildId : init.guildId,
		type: init.type,
		name: init.name ?? `channel-${init.type}`,
		nsfw: init.nsfw ?? false,
		availableTags: (init.tags ?? []).map((name) => ({ id: snowflake(), name, moderated: false, emoji_id: null, emoji_name: null })),
		appliedTags: [],
		flags: init.requireTag ? REQUIRE_TAG : 0,
		archived: false,
		botDenied: init.botDenied ?? 0n,
		deleted: false,
		patches: [],
	};
}

export function isThreadOnly(channel: FakeChannel): boolean {
	return channel.type === ChannelKind.Forum || channel.type === ChannelKind.Media;
}

/** The bot's permissions in a channel, as `app_permissions` says them. */
export function botPermissions(channel: FakeChannel): string {
	return (BigInt(DEFAULT_PERMISSIONS) & ~channel.botDenied).toString();
}

/** 403 50013, as Discord answers a call the bot lacks a permission for. */
export function requirePermission(channel: FakeChannel, permission: bigint): void {
	if ((channel.botDenied & permission) !== 0n) throw new ApiError(403, 50013, 'Missing Permissions');
}

/** The channel as GET /channels/{id} returns it. */
export function channelApi(channel: FakeChannel): Record<string, unknown> {
	const base: Record<string, unknown> = {
		id: channel.id,
		type: channel.type,
		name: channel.name,
		nsfw: channel.nsfw,
		flags: channel.flags,
		position: 0,
		permission_overwrites: [],
		parent_id: channel.parentId ?? null,
		...(channel.guildId === null ? {} : { guild_id: channel.guildId }),
	};
	if (isThreadOnly(channel))
		return { ...base, available_tags: channel.availableTags, default_reaction_emoji: null, default_sort_order: null, default_forum_layout: 0, topic: null };
	if (channel.type === ChannelKind.PublicThread)
		return {
			...base,
			owner_id: channel.ownerId,
			applied_tags: channel.appliedTags,
			message_count: 0,
			member_count: 1,
			thread_metadata: { archived: channel.archived, auto_archive_duration: 10080, archive_timestamp: new Date().toISOString(), locked: false },
		};
	return { ...base, topic: null, last_message_id: null, rate_limit_per_user: 0 };
}

/** The channel as an interaction's `data.resolved.channels` carries it: the user's and the bot's permissions there. */
export function resolvedChannel(channel: FakeChannel): Record<string, unknown> {
	return {
		id: channel.id,
		name: channel.name,
		type: channel.type,
		permissions: DEFAULT_PERMISSIONS,
		app_permissions: botPermissions(channel),
		...(channel.type === ChannelKind.PublicThread
			? {
					parent_id: channel.parentId,
					thread_metadata: { archived: channel.archived, auto_archive_duration: 10080, archive_timestamp: new Date().toISOString(), locked: false },
				}
			: {}),
	};
}

/** A thread name as Discord checks it: 1 to 100 characters. */
export function threadName(value: unknown): string {
	if (typeof value !== 'string' || value.length < 1 || value.length > 100)
		throw formError('name', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
	return value;
}

/** `applied_tags` as Discord checks them: ids of the forum's tags, at most 5; one at least when the forum requires a tag. */
export function appliedTags(value: unknown, forum: FakeChannel): string[] {
	const tags = value === undefined || value === null ? [] : value;
	if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string')) throw formError('applied_tags', 'LIST_TYPE_CONVERT', 'Must be an array.');
	if (tags.length > 5) throw formError('applied_tags', 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
	const known = new Set(forum.availableTags.map((tag) => tag.id));
	for (const tag of tags) if (!known.has(String(tag))) throw formError('applied_tags', 'TAG_NOT_FOUND', `Unknown tag ${String(tag)}`);
	if ((forum.flags & REQUIRE_TAG) !== 0 && tags.length === 0) throw new ApiError(400, 40067, 'A tag is required to create a forum post in this channel');
	return tags.map(String);
}
