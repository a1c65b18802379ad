import type { Db, Tx } from '../../db/database.ts';
import { UserFacingError } from '../errors.ts';
import { checkQueueRoom } from './queue.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PanelLimits {
	readonly inFlightPerUser: number;
	readonly perUserPerDay: number;
	readonly perGuildPerDay?: number | undefined;
	/** Panels of one user that may wait for a slot (MAX_PANELS_QUEUED_PER_USER); beyond, a refusal. */
	readonly queuedPerUser?: number | undefined;
}

/**
 * The limits every drawing is subject to, a new panel's, a redraw's or a story's `count` panels: the
 * user's queue (over the in-flight limit a drawing waits for a slot, up to the queue's bound: ./queue.ts),
 * per user and per server in the last 24 hours. Run before the acknowledgement, and again inside the
 * transaction that stores the drawings, after the user's turn is taken (lockUser).
 */
export async function checkLimits(
	db: Db | Tx,
	limits: PanelLimits,
	request: { readonly ownerId: string; readonly guildId: string | null },
	now: number,
	count = 1,
): Promise<void> {
	// One query for both per-user limits: drawings in flight are always recent (they time out after 25 minutes).
	const since = new Date(now - DAY_MS);
	const mine = await db.drawing.findMany({
		where: { ownerId: request.ownerId, createdAt: { gte: since } },
		select: { createdAt: true, status: true },
		orderBy: { createdAt: 'asc' },
		take: limits.perUserPerDay,
	});
	checkQueueRoom(limits, mine, count);
	if (mine.length + count > limits.perUserPerDay)
		throw new UserFacingError(
			count === 1 || mine.length >= limits.perUserPerDay
				? `You have drawn ${limits.perUserPerDay} panels in the last 24 hours, the daily limit.`
				: `These ${count} panels would pass your daily limit of ${limits.perUserPerDay} panels: you have drawn ${mine.length} in the last 24 hours. Nothing was drawn.`,
			count === 1 || mine.length >= limits.perUserPerDay ? freedAt(mine[0]?.createdAt, 'You can draw again') : undefined,
		);

	if (limits.perGuildPerDay !== undefined && request.guildId) {
		const guild = await db.drawing.findMany({
			where: { guildId: request.guildId, createdAt: { gte: since } },
			select: { createdAt: true },
			orderBy: { createdAt: 'asc' },
			take: limits.perGuildPerDay,
		});
		if (guild.length + count > limits.perGuildPerDay)
			throw new UserFacingError(
				`This server has drawn ${limits.perGuildPerDay} panels in the last 24 hours, its daily limit.`,
				freedAt(guild[0]?.createdAt, 'Panels can be drawn here again'),
			);
	}
}

/** When a limit counted over the last 24 hours frees a place again: a day after the oldest that counts. */
function freedAt(oldest: Date | undefined, lead: string): { lead: string; at: Date } | undefined {
	return oldest ? { lead, at: new Date(oldest.getTime() + DAY_MS) } : undefined;
}
