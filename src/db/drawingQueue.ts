import type { PrismaClient as Db } from './generated/postgres/client.ts';
import { lockUser, type Tx } from './lockUser.ts';

/** The statuses that hold one of a user's in-flight slots. */
export const IN_FLIGHT = ['queued', 'generating'] as const;

/**
 * The per-user queue of drawings over the in-flight limit. A waiting drawing has no `dueAt`, so no
 * runner claims it; promoting it (status `queued`, due now) is a job-column write, so it lives here
 * with the rest of src/db/'s job tables. Every function runs under the user's turn (lockUser), the
 * same turn a panel's creation takes: a slot is never given twice, in any process.
 */
export interface QueueCounts {
	readonly inFlight: number;
	readonly waiting: number;
}

async function queueCounts(db: Db | Tx, userId: string): Promise<QueueCounts> {
	const rows = await db.drawing.groupBy({ by: ['status'], where: { ownerId: userId, status: { in: [...IN_FLIGHT, 'waiting'] } }, _count: { _all: true } });
	const count = (status: string) => rows.find((row) => row.status === status)?._count._all ?? 0;
	return { inFlight: count('queued') + count('generating'), waiting: count('waiting') };
}

/**
 * Makes the user's oldest waiting drawings due, as many as the user has free slots; inside a
 * transaction that holds the user's turn. Each is due a millisecond after the one before, so the
 * runner claims them in order. Returns the ids promoted.
 */
export async function promoteWaitingIn(tx: Tx, userId: string, inFlightLimit: number, now: Date): Promise<string[]> {
	const { inFlight } = await queueCounts(tx, userId);
	const free = inFlightLimit - inFlight;
	if (free <= 0) return [];
	const next = await tx.drawing.findMany({
		where: { ownerId: userId, status: 'waiting' },
		orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
		take: free,
		select: { id: true },
	});
	for (const [index, row] of next.entries())
		await tx.drawing.updateMany({ where: { id: row.id, status: 'waiting' }, data: { status: 'queued', dueAt: new Date(now.getTime() + index) } });
	return next.map((row) => row.id);
}

/** The same in a transaction of its own (a drawing of the user has just ended). */
export async function promoteWaiting(db: Db, userId: string, inFlightLimit: number, now: Date): Promise<string[]> {
	return db.$transaction(async (tx) => {
		await lockUser(tx, userId, now);
		return promoteWaitingIn(tx, userId, inFlightLimit, now);
	});
}

/** Whether the user has a drawing waiting for a slot (one indexed read, without the user's turn). */
export async function hasWaiting(db: Db, userId: string): Promise<boolean> {
	return (await db.drawing.findFirst({ where: { ownerId: userId, status: 'waiting' }, select: { id: true } })) !== null;
}

/** Users with waiting drawings (the periodic sweep looks at each: nothing waits forever after a crash). */
export async function usersWithWaiting(db: Db, limit = 500): Promise<string[]> {
	const rows = await db.drawing.findMany({ where: { status: 'waiting' }, distinct: ['ownerId'], select: { ownerId: true }, take: limit });
	return rows.map((row) => row.ownerId);
}

/** Whether an older drawing of the same story is still to be submitted (a story's panels go out in order). */
export async function olderStillQueued(db: Db, drawing: { readonly id: string; readonly createdAt: Date }, storyId: string): Promise<boolean> {
	const older = await db.drawing.findFirst({
		where: {
			panel: { storyId },
			status: 'queued',
			workflowId: null,
			OR: [{ createdAt: { lt: drawing.createdAt } }, { createdAt: drawing.createdAt, id: { lt: drawing.id } }],
		},
		select: { id: true },
	});
	return older !== null;
}
