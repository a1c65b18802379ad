import type { Db, PublishedPost, PublishedPostUpdate } from '../../db/database.ts';
import { publishedJobs } from '../../db/database.ts';
import type { JobKind } from '../../jobs/kind.ts';
import type { Log } from '../../log.ts';
import { starterContent } from './publishPlan.ts';
import { type PostWriter, PublishForbidden, PublishTargetGone } from './postWriter.ts';

export const PUBLISHED_ACTIVITY_JOB = 'published-activity';
/** Panel numbers a note names before it says "and N more". */
const NAMED_PANELS = 12;

export interface ActivityDeps {
	readonly db: Db;
	readonly writer: PostWriter;
	readonly log: Log;
	/** At most one edit of a post's starter message per this long; what happens meanwhile is collapsed into one. */
	readonly intervalMs: number;
}

/**
 * A panel of the project became ready (its message shows the picture): every published post of the
 * project is due for a look. Only a mark in the database, so it survives a restart; the edit itself is
 * the activity job's, which spaces and collapses edits.
 */
export async function markPublishedActivity(db: Db, projectId: string, now: number): Promise<void> {
	await db.publishedPost.updateMany({ where: { projectId, threadId: { not: null } }, data: { dueAt: new Date(now) } });
}

/**
 * The note on a post's starter message: panels drawn since it was published — "added" when the panel
 * had no picture then, else "redrawn" — and by whom, as mentions that ping nobody (allowed_mentions is
 * empty on every edit). Null when there is nothing new.
 */
export async function activityNote(db: Db, post: Pick<PublishedPost, 'projectId' | 'part' | 'fromPanel' | 'toPanel' | 'publishedAt'>): Promise<string | null> {
	const inPart = post.part !== 'all' && post.fromPanel !== null && post.toPanel !== null ? { number: { gte: post.fromPanel, lte: post.toPanel } } : {};
	const takes = await db.take.findMany({
		where: { chosen: true, createdAt: { gt: post.publishedAt }, panel: { projectId: post.projectId, ...inPart } },
		orderBy: { panel: { number: 'asc' } },
		take: 100,
		select: { panelId: true, panel: { select: { number: true } }, drawing: { select: { ownerId: true } } },
	});
	if (takes.length === 0) return null;
	const before = await db.take.findMany({
		where: { panelId: { in: takes.map((take) => take.panelId) }, createdAt: { lte: post.publishedAt } },
		distinct: ['panelId'],
		select: { panelId: true },
	});
	const shown = new Set(before.map((take) => take.panelId));
	const added = takes.filter((take) => !shown.has(take.panelId));
	const redrawn = takes.filter((take) => shown.has(take.panelId));
	const parts = [describe(added, 'added'), describe(redrawn, 'redrawn')].filter((part): part is string => part !== undefined);
	const sentence = parts.map((part, index) => (index === 0 ? part : part.charAt(0).toLowerCase() + part.slice(1))).join('; ');
	return `${sentence} — publish again to include ${takes.length === 1 ? 'it' : 'them'}.`;
}

function describe(takes: readonly { panel: { number: number }; drawing: { ownerId: string } }[], verb: string): string | undefined {
	if (takes.length === 0) return undefined;
	const numbers = takes.map((take) => take.panel.number);
	const shown = numbers.slice(0, NAMED_PANELS).join(', ') + (numbers.length > NAMED_PANELS ? ` and ${numbers.length - NAMED_PANELS} more` : '');
	const who = [...new Set(takes.map((take) => take.drawing.ownerId))].slice(0, 5).map((id) => `<@${id}>`);
	return `${numbers.length === 1 ? 'Panel' : 'Panels'} ${shown} ${verb} by ${who.join(', ')}`;
}

/**
 * The activity edit of published posts as durable work (src/jobs/): a post marked by
 * {@link markPublishedActivity} gets its starter message's note rewritten, at most once per
 * `intervalMs`, never while a publish holds the post. After an edit the post is looked at once more
 * one interval later, so a panel that became ready during the edit is not missed.
 */
export function publishedActivityJob(deps: ActivityDeps): JobKind<PublishedPost, PublishedPostUpdate> {
	return {
		name: PUBLISHED_ACTIVITY_JOB,
		table: publishedJobs(deps.db),
		retry: { attempts: 5, baseMs: 2_000, capMs: 60_000 },
		load: async (id, claim) => (await deps.db.publishedPost.findFirst({ where: { id, leaseOwner: claim } })) ?? undefined,
		async step(post, now) {
			if (!post.threadId || !post.starterMessageId) return { next: null };
			if (post.publishingUntil && post.publishingUntil.getTime() > now) return { next: post.publishingUntil.getTime() };
			const earliest = (post.activityShownAt?.getTime() ?? 0) + deps.intervalMs;
			if (earliest > now) return { next: earliest };
			const note = await activityNote(deps.db, post);
			if (note === post.activityNote) return { next: null };
			const channelId = post.kind === 'forum' ? post.threadId : post.channelId;
			try {
				await deps.writer.editMessage(channelId, post.starterMessageId, { content: starterContent(post.starterText, note) });
			} catch (error) {
				// The post or its starter is gone, or the bot may no longer edit there: nothing to retry.
				if (error instanceof PublishTargetGone || error instanceof PublishForbidden) {
					deps.log.info({ postId: post.id, reason: error.message }, 'the published post can no longer show its activity');
					return { next: null };
				}
				return { retry: { giveUp: { next: null } } };
			}
			return { update: { activityNote: note, activityShownAt: new Date(now) }, next: now + deps.intervalMs };
		},
		unexpected: () => ({ retry: { giveUp: { next: null } } }),
		logContext: (post) => ({ postId: post.id, projectId: post.projectId }),
	};
}
