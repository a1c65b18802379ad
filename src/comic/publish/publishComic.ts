import { createHash } from 'node:crypto';
import type { Db, Project, PublishedPost } from '../../db/database.ts';
import type { Log } from '../../log.ts';
import { UserFacingError } from '../errors.ts';
import type { ComicDeps } from '../export/comicPanels.ts';
import type { PanelRange } from '../export/range.ts';
import { isUniqueViolation } from '../projects.ts';
import { type PlannedMessage, type PostPlan, planPost } from './publishPlan.ts';
import { type PostWriter, PublishTargetGone } from './postWriter.ts';

/** A publish holds its post this long at most (a crashed one lets go by itself). */
const PUBLISH_LEASE_MS = 10 * 60_000;

export interface PublishDeps {
	readonly db: Db;
	readonly comic: ComicDeps;
	readonly writer: PostWriter;
	readonly log: Log;
	readonly now?: () => number;
}

export interface PublishRequest {
	readonly project: Project;
	readonly range: PanelRange;
	/** A part (the `panels` option): its own post, apart from the whole comic's. */
	readonly part: boolean;
	readonly channelId: string;
	readonly guildId: string;
	readonly userId: string;
	/** The largest file Discord takes here (the interaction's `attachment_size_limit`). */
	readonly maxFileBytes: number;
}

export interface PublishResult {
	readonly created: boolean;
	readonly threadId: string;
	readonly pages: number;
	readonly edited: number;
	readonly added: number;
	readonly removed: number;
	readonly unchanged: number;
	readonly withheld: readonly number[];
	readonly notReady: readonly number[];
}

/**
 * `/comic publish`: the comic (or a part) as a post in a forum or media channel, or as a starter message
 * and its thread in a text channel. The first publish creates the post; each later one updates it in
 * place: the thread's name and tags follow the project, a message whose pages changed is edited, new
 * pages are appended, pages no longer there are deleted. What was published is stored as it goes (the
 * post, then each message with a hash of what it shows), so any process can update it after a restart.
 */
export async function publishComic(deps: PublishDeps, request: PublishRequest): Promise<PublishResult> {
	const now = deps.now ?? Date.now;
	const started = now();
	const channel = await deps.writer.channel(request.channelId);
	if (channel.kind === 'other') throw new UserFacingError('Publish to a forum channel, a media channel or a text channel.');
	const kind = channel.kind === 'forum' ? 'forum' : 'thread';
	const post = await holdPost(deps.db, request, kind, now());
	try {
		const plan = await planPost(deps.comic, { ...request, channel });
		let result: PublishResult;
		try {
			result = await writePost(deps, post, plan, request);
		} catch (error) {
			// The post (its thread or its starter message) was deleted on Discord: it is published anew, once.
			if (!(error instanceof PublishTargetGone)) throw error;
			deps.log.info({ postId: post.id, what: error.what }, 'a published post was deleted; publishing it anew');
			await forget(deps.db, post.id);
			result = await writePost(deps, { ...post, threadId: null, starterMessageId: null, activityNote: null }, plan, request);
		}
		await deps.db.publishedPost.update({
			where: { id: post.id },
			data: {
				title: plan.title,
				appliedTags: [...plan.tags],
				ageRestricted: channel.nsfw,
				publishedBy: request.userId,
				publishedAt: new Date(now()),
				fromPanel: request.range.from,
				toPanel: request.range.to,
				starterText: plan.messages[0]?.content ?? '',
				// The note said what was not published yet: now it is.
				activityNote: null,
			},
		});
		deps.log.info(
			{ projectId: request.project.id, postId: post.id, ...result, withheld: result.withheld.length, notReady: result.notReady.length, ms: now() - started },
			'comic published',
		);
		return result;
	} finally {
		await deps.db.publishedPost.updateMany({ where: { id: post.id }, data: { publishingUntil: null } });
	}
}

/** The post's row, held for this publish: made on the first publish, refused while another publish holds it. */
async function holdPost(db: Db, request: PublishRequest, kind: 'forum' | 'thread', now: number): Promise<PublishedPost> {
	const part = request.part ? `${request.range.from}-${request.range.to}` : 'all';
	const where = { projectId_channelId_part: { projectId: request.project.id, channelId: request.channelId, part } };
	const until = new Date(now + PUBLISH_LEASE_MS);
	if (!(await db.publishedPost.findUnique({ where, select: { id: true } }))) {
		try {
			const data = {
				projectId: request.project.id,
				channelId: request.channelId,
				guildId: request.guildId,
				kind,
				part,
				title: request.project.name,
				publishedBy: request.userId,
			};
			return await db.publishedPost.create({ data: { ...data, publishingUntil: until } });
		} catch (error) {
			// Published at the same moment by someone else: theirs holds it.
			if (!isUniqueViolation(error)) throw error;
		}
	}
	const found = await db.publishedPost.findUnique({ where });
	if (!found) throw new UserFacingError('That post was removed while it was being published. Try again.');
	const { count } = await db.publishedPost.updateMany({
		where: { id: found.id, OR: [{ publishingUntil: null }, { publishingUntil: { lt: new Date(now) } }] },
		data: { publishingUntil: until },
	});
	if (count === 0) throw new UserFacingError('This comic is being published to that channel right now. Try again once that is done.');
	return { ...found, publishingUntil: until };
}

type Counts = { edited: number; added: number; removed: number; unchanged: number };

/** Creates the post or updates it in place, storing each message as soon as Discord has it. */
async function writePost(deps: PublishDeps, post: PublishedPost, plan: PostPlan, request: PublishRequest): Promise<PublishResult> {
	const counts: Counts = { edited: 0, added: 0, removed: 0, unchanged: 0 };
	let threadId = post.threadId;
	let starterId = post.starterMessageId;
	let created = false;
	if (threadId) await deps.writer.editThread(threadId, { name: plan.title, ...(post.kind === 'forum' ? { tags: plan.tags } : {}) });
	if (!threadId || !starterId) {
		({ threadId, starterId } = await createPost(deps, post, plan, request.channelId));
		created = true;
		counts.added++;
	}
	const stored = new Map((await deps.db.publishedMessage.findMany({ where: { postId: post.id } })).map((row) => [row.position, row]));
	for (const message of plan.messages) {
		const row = stored.get(message.position);
		if (message.position === 0) {
			if (created) continue;
			// A starter someone deleted throws PublishTargetGone: the whole post is made anew (publishComic).
			// A note of new panels on the starter goes away with this publish.
			if (row?.hash === message.hash && !post.activityNote) counts.unchanged++;
			else {
				await deps.writer.editMessage(post.kind === 'forum' ? threadId : request.channelId, starterId, message);
				await keep(deps.db, post.id, message, starterId);
				counts.edited++;
			}
			continue;
		}
		if (row?.hash === message.hash) {
			counts.unchanged++;
			continue;
		}
		if (row) {
			try {
				await deps.writer.editMessage(threadId, row.messageId, message);
				await keep(deps.db, post.id, message, row.messageId);
				counts.edited++;
				continue;
			} catch (error) {
				// Someone deleted that message: its pages come in a new one.
				if (!(error instanceof PublishTargetGone && error.what === 'message')) throw error;
			}
		}
		await keep(deps.db, post.id, message, await deps.writer.postMessage(threadId, message, nonceOf(threadId, message)));
		counts.added++;
	}
	for (const row of stored.values()) {
		if (row.position < plan.messages.length) continue;
		await deps.writer.deleteMessage(threadId, row.messageId).catch((error: unknown) => {
			if (!(error instanceof PublishTargetGone)) throw error;
		});
		await deps.db.publishedMessage.deleteMany({ where: { postId: post.id, position: row.position } });
		counts.removed++;
	}
	return { created, threadId, pages: plan.pageCount, ...counts, withheld: plan.withheld, notReady: plan.notReady };
}

/** A new post: in a forum its starter opens it; in a text channel the starter is posted, then the thread hangs from it. */
async function createPost(deps: PublishDeps, post: PublishedPost, plan: PostPlan, channelId: string): Promise<{ threadId: string; starterId: string }> {
	const [starter] = plan.messages;
	if (!starter) throw new Error('a post is planned with a starter message');
	if (post.kind === 'forum') {
		const { threadId } = await deps.writer.startForumPost(channelId, { name: plan.title, tags: plan.tags, message: starter });
		await deps.db.publishedPost.update({ where: { id: post.id }, data: { threadId, starterMessageId: threadId } });
		await keep(deps.db, post.id, starter, threadId);
		return { threadId, starterId: threadId };
	}
	const starterId = await deps.writer.postMessage(channelId, starter);
	await deps.db.publishedPost.update({ where: { id: post.id }, data: { starterMessageId: starterId } });
	await keep(deps.db, post.id, starter, starterId);
	const { threadId } = await deps.writer.startThread(channelId, starterId, plan.title);
	await deps.db.publishedPost.update({ where: { id: post.id }, data: { threadId } });
	return { threadId, starterId };
}

/**
 * A page message's nonce: the same thread, place and pages give the same one, so a publish that crashed
 * after Discord posted the message but before it was stored does not post it twice when run again.
 */
function nonceOf(threadId: string, message: PlannedMessage): string {
	return createHash('sha256').update(`${threadId}:${message.position}:${message.hash}`).digest('base64url').slice(0, 25);
}

async function keep(db: Db, postId: string, message: PlannedMessage, messageId: string): Promise<void> {
	const row = { messageId, hash: message.hash, pages: message.pages };
	await db.publishedMessage.upsert({
		where: { postId_position: { postId, position: message.position } },
		create: { postId, position: message.position, ...row },
		update: row,
	});
}

/** The post is gone from Discord: its messages are forgotten, and the next write makes a new one. */
async function forget(db: Db, postId: string): Promise<void> {
	await db.$transaction([
		db.publishedMessage.deleteMany({ where: { postId } }),
		db.publishedPost.update({ where: { id: postId }, data: { threadId: null, starterMessageId: null } }),
	]);
}
