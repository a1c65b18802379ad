import type { RawFile, REST } from '@discordjs/rest';
import { ChannelType, Routes } from 'discord.js';
import { z } from 'zod';
import { type OutgoingFile, type OutgoingMessage, type PostWriter, PublishForbidden, PublishTargetGone } from '../comic/publish/postWriter.ts';
import { DiscordCode, discordError } from './discordErrors.ts';
import { NO_MENTIONS } from './render.ts';

/** A forum channel's flag: every post must carry a tag. @see https://discord.com/developers/docs/resources/channel#channel-object-channel-flags */
const REQUIRE_TAG = 1 << 4;
const UNKNOWN_CHANNEL = 10003;

/** The parts of a channel publishing reads (GET /channels/{id}); the rest is not ours. */
const channelSchema = z.object({
	id: z.string(),
	type: z.number(),
	nsfw: z.boolean().nullish(),
	flags: z.number().nullish(),
	available_tags: z.array(z.object({ id: z.string(), name: z.string(), moderated: z.boolean().nullish() })).nullish(),
});
const createdSchema = z.object({ id: z.string() });

export interface PostWriterOptions {
	/** Each call gives up after this long (the REST client's own retries included). */
	readonly timeoutMs: number;
}

/**
 * Publishing's calls to Discord over REST with the bot token (src/comic/publish/postWriter.ts): forum
 * and media posts, threads from a starter message, their messages. Every call carries a timeout and
 * `allowed_mentions` that ping nobody.
 * @see https://discord.com/developers/docs/resources/channel#start-thread-in-forum-or-media-channel
 * @see https://discord.com/developers/docs/resources/channel#start-thread-from-message
 */
export function createPostWriter(rest: REST, options: PostWriterOptions): PostWriter {
	const call = async <T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
		try {
			return await work(AbortSignal.timeout(options.timeoutMs));
		} catch (error) {
			throw translate(error);
		}
	};
	return {
		async channel(channelId) {
			const channel = channelSchema.parse(await call((signal) => rest.get(Routes.channel(channelId), { signal })));
			const forum = channel.type === ChannelType.GuildForum || channel.type === ChannelType.GuildMedia;
			return {
				id: channel.id,
				kind: forum ? 'forum' : channel.type === ChannelType.GuildText ? 'text' : 'other',
				nsfw: channel.nsfw === true,
				tags: (channel.available_tags ?? []).map((tag) => ({ id: tag.id, name: tag.name, moderated: tag.moderated === true })),
				requireTag: ((channel.flags ?? 0) & REQUIRE_TAG) !== 0,
			};
		},
		async startForumPost(channelId, post) {
			const body = { name: post.name, applied_tags: [...post.tags], message: messageBody(post.message.content, post.message.files) };
			const created = createdSchema.parse(await call((signal) => rest.post(Routes.threads(channelId), { body, files: rawFiles(post.message.files), signal })));
			return { threadId: created.id };
		},
		async startThread(channelId, messageId, name) {
			const created = createdSchema.parse(await call((signal) => rest.post(Routes.threads(channelId, messageId), { body: { name }, signal })));
			return { threadId: created.id };
		},
		async postMessage(channelId, message: OutgoingMessage, nonce) {
			const body = { ...messageBody(message.content, message.files), ...(nonce ? { nonce, enforce_nonce: true } : {}) };
			const created = createdSchema.parse(
				await call((signal) => rest.post(Routes.channelMessages(channelId), { body, files: rawFiles(message.files), signal })),
			);
			return created.id;
		},
		async editMessage(channelId, messageId, message) {
			const body = message.files ? messageBody(message.content, message.files) : { content: message.content, allowed_mentions: NO_MENTIONS };
			await call((signal) =>
				rest.patch(Routes.channelMessage(channelId, messageId), { body, ...(message.files ? { files: rawFiles(message.files) } : {}), signal }),
			);
		},
		async deleteMessage(channelId, messageId) {
			await call((signal) => rest.delete(Routes.channelMessage(channelId, messageId), { signal }));
		},
		async editThread(threadId, edit) {
			const body = { name: edit.name, archived: false, ...(edit.tags ? { applied_tags: [...edit.tags] } : {}) };
			await call((signal) => rest.patch(Routes.channel(threadId), { body, signal }));
		},
	};
}

/** A message whose `attachments` list is exactly these files (an edit drops the files it had). */
function messageBody(content: string, files: readonly OutgoingFile[]) {
	return { content, allowed_mentions: NO_MENTIONS, attachments: files.map((file, id) => ({ id, filename: file.name })) };
}

function rawFiles(files: readonly OutgoingFile[]): RawFile[] {
	return files.map((file) => ({ name: file.name, data: file.data, contentType: 'image/jpeg' }));
}

/** Discord's refusals that publishing acts on, as the port's errors; anything else as it came. */
function translate(error: unknown): unknown {
	const { status, code } = discordError(error);
	if (code === DiscordCode.MissingPermissions || code === DiscordCode.MissingAccess || status === 403)
		return new PublishForbidden(`Discord refused: ${status} ${code ?? ''}`);
	if (code === UNKNOWN_CHANNEL) return new PublishTargetGone('channel', 'the channel or post is gone');
	if (code === DiscordCode.UnknownMessage) return new PublishTargetGone('message', 'the message is gone');
	return error;
}
