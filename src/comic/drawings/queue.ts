import { type Db, promoteWaiting, promoteWaitingIn, type Tx, usersWithWaiting } from '../../db/database.ts';
import { UserFacingError } from '../errors.ts';

/** MAX_PANELS_QUEUED_PER_USER's default. */
export const DEFAULT_QUEUED_PER_USER = 10;

/**
 * The queue of a user's panels over the in-flight limit. It is the database: a drawing over the limit
 * is stored `waiting` (never due), and one is promoted, oldest first, when one of the user's drawings
 * ends (the drawing's own step), when the user creates a panel, and by a periodic sweep that catches
 * whatever a crash left. Slots are per user, so one user's long story never delays anyone else.
 * See docs/decisions/013-queue-and-stories.md.
 */
export interface QueueLimits {
	readonly inFlightPerUser: number;
	readonly queuedPerUser?: number | undefined;
}

/** Refuses `count` new panels when they would make more than the queue's bound wait (a check before anything is stored), on the user's counts (read with the limits' counts: admissionFacts). */
export function checkQueueCounts(limits: QueueLimits, counts: { inFlight: number; waiting: number }, count: number): void {
	checkRoom(limits, counts, count);
}

function checkRoom(limits: QueueLimits, counts: { inFlight: number; waiting: number }, count: number): void {
	const bound = limits.queuedPerUser ?? DEFAULT_QUEUED_PER_USER;
	const free = counts.waiting > 0 ? 0 : Math.max(0, limits.inFlightPerUser - counts.inFlight);
	const wouldWait = counts.waiting + Math.max(0, count - free);
	if (wouldWait <= bound) return;
	const now = `You have ${counts.inFlight} panel${counts.inFlight === 1 ? '' : 's'} being drawn (the limit is ${limits.inFlightPerUser} at a time) and ${counts.waiting} waiting`;
	throw new UserFacingError(
		count === 1
			? `${now}; at most ${bound} may wait. Try again as soon as one of them is finished.`
			: `${now}; these ${count} panels would make ${wouldWait} wait, and at most ${bound} may. Nothing was drawn; try again when some are finished.`,
	);
}

export interface Placement {
	/** `queued`: a slot is free, the drawing starts now; `waiting`: it waits behind `ahead` others. */
	readonly status: 'queued' | 'waiting';
	readonly ahead: number;
}

/**
 * Where the next new drawings of the user go, by the user's counts read inside the creating
 * transaction after lockUser (the same read the limits were checked on: ./admit.ts).
 */
export function placeNext(limits: QueueLimits, counts: { inFlight: number; waiting: number }, count = 1): Placement {
	checkRoom(limits, counts, count);
	if (counts.waiting === 0 && counts.inFlight < limits.inFlightPerUser) return { status: 'queued', ahead: 0 };
	return { status: 'waiting', ahead: counts.waiting };
}

/** After waiting drawings were added: those that fit in free slots start (oldest first). Returns their ids. */
export function promoteAfterCreate(tx: Tx, limits: QueueLimits, userId: string, now: number): Promise<string[]> {
	return promoteWaitingIn(tx, userId, limits.inFlightPerUser, new Date(now));
}

/** A drawing of the user has ended: the next waiting one (if any) starts. Returns the ids promoted. */
export function promoteNext(db: Db, limits: QueueLimits, userId: string, now = Date.now()): Promise<string[]> {
	return promoteWaiting(db, userId, limits.inFlightPerUser, new Date(now));
}

/** The periodic sweep: every user with waiting drawings and a free slot gets it filled. Returns how many started. */
export async function sweepQueue(db: Db, limits: QueueLimits, now = Date.now()): Promise<number> {
	let started = 0;
	for (const userId of await usersWithWaiting(db)) started += (await promoteNext(db, limits, userId, now)).length;
	return started;
}
