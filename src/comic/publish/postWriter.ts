/**
 * What publishing needs of Discord, as a port the domain calls (src/discord/postWriter.ts implements it
 * over REST). Every call is bounded by a timeout there; a call Discord refuses for a permission throws
 * {@link PublishForbidden}, one on a channel or message that is gone throws {@link PublishTargetGone}.
 */
export interface PostWriter {
	/** The channel as Discord knows it now: its type, whether it is age-restricted, a forum's tags. */
	channel(channelId: string): Promise<PublishChannel>;
	/** A forum or media post; its starter message has the thread's id. */
	startForumPost(channelId: string, post: { name: string; tags: readonly string[]; message: OutgoingMessage }): Promise<{ threadId: string }>;
	/** A public thread hanging from a message of a text channel; the thread has the message's id. */
	startThread(channelId: string, messageId: string, name: string): Promise<{ threadId: string }>;
	/**
	 * A new message; returns its id. With a `nonce` (at most 25 characters) Discord returns the message an
	 * earlier call with the same nonce made in the last few minutes instead of posting it twice.
	 */
	postMessage(channelId: string, message: OutgoingMessage, nonce?: string): Promise<string>;
	/** Replaces a message's text, and its files when `files` is given (the old ones are dropped). */
	editMessage(channelId: string, messageId: string, message: { content: string; files?: readonly OutgoingFile[] }): Promise<void>;
	deleteMessage(channelId: string, messageId: string): Promise<void>;
	/** A thread's name, a forum post's tags, and unarchives it (a post left alone archives itself). */
	editThread(threadId: string, edit: { name: string; tags?: readonly string[] }): Promise<void>;
}

export interface OutgoingFile {
	readonly name: string;
	readonly data: Buffer;
}

export interface OutgoingMessage {
	readonly content: string;
	readonly files: readonly OutgoingFile[];
}

export interface ForumTag {
	readonly id: string;
	readonly name: string;
	/** Only moderators may apply it. */
	readonly moderated: boolean;
}

export interface PublishChannel {
	readonly id: string;
	/** forum: a forum or media channel (posts); text: a text channel (a starter message and its thread). */
	readonly kind: 'forum' | 'text' | 'other';
	readonly nsfw: boolean;
	readonly tags: readonly ForumTag[];
	/** A post must carry a tag here. */
	readonly requireTag: boolean;
}

/** Discord said 403 (Missing Permissions or Missing Access). */
export class PublishForbidden extends Error {
	public constructor(message: string) {
		super(message);
		this.name = 'PublishForbidden';
	}
}

/** The channel (a deleted post) or the message (deleted by someone) is gone. */
export class PublishTargetGone extends Error {
	public constructor(
		public readonly what: 'channel' | 'message',
		message: string,
	) {
		super(message);
		this.name = 'PublishTargetGone';
	}
}
