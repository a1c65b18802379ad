import { type DrawingKind, recordDrawingUsage } from '../../accounts/ledger.ts';
import { type Access, accessFrom } from '../../accounts/settings.ts';
import type { PaidBy } from '../../accounts/spend.ts';
import { type AdmissionFacts, type Db, type Drawing, lockUser, type Tx } from '../../db/database.ts';
import { isUniqueViolation } from '../projects.ts';
import { checkCounts, type PanelLimits, readLimitFacts } from './checkLimits.ts';
import { type DrawingMessageRef, type DrawingOf, insertDrawing } from './newDrawing.ts';
import { type Placement, placeNext, promoteAfterCreate } from './queue.ts';

/** Who asks, and where: the user's turn, access and limits are theirs, the server's limits its. */
export interface Asker {
	readonly ownerId: string;
	readonly guildId: string | null;
}

/**
 * The one access check of every way of drawing: the server's settings and the user's own key decide
 * whether they may draw here, their limits and whose key pays. One function, so that who may draw
 * (issue 22: project members) changes in one place.
 */
export function accessOf(limits: PanelLimits, facts: AdmissionFacts): Access {
	return accessFrom(limits, facts.settings, facts.ownKey);
}

/**
 * The checks of admission before anything is stored (usually before the acknowledgement, so a refusal
 * is a plain private reply): access first, then the queue's bound, the daily limits and the Buzz budgets
 * for `count` drawings reserving `reserve()` Buzz together (read after access: a Change's reservation
 * needs the panel's picture, whose absence is told only to someone who may draw). What they check is
 * read in one statement, before the reservation. `admit` checks all of it again under the user's turn.
 */
export async function checkAdmission(
	db: Db,
	limits: PanelLimits,
	asker: Asker,
	now: number,
	count: number,
	reserve: () => Promise<number> | number,
): Promise<Access & { readonly buzz: number }> {
	const facts = await readLimitFacts(db, limits, asker, now);
	const access = accessOf(limits, facts);
	const buzz = await reserve();
	await checkCounts(db, access.limits, asker, now, count, buzz, facts);
	return { ...access, buzz };
}

/** One drawing to admit: what it draws (its panel, stored by `store`) and the Buzz it reserves in the ledger. */
export type NewDrawing = Omit<DrawingOf, 'ownerId' | 'guildId' | 'paidBy'>;

/** Where the drawings count (the server's limits, the ledger rows) and the Buzz each reserves; its length is how many are admitted. */
export interface Reservation {
	readonly guildId: string | null;
	readonly buzz: readonly number[];
}

/**
 * What a way of drawing adds to admission (a new panel, Redraw / Edit / Change, a story's panels).
 * `reserve` runs first under the user's turn (a story reads its plan there) and says what the drawings
 * reserve (docs/decisions/016-limits-ledger.md); `store` runs once access, limits and the queue passed,
 * and stores the panels' content (refusing, with nothing kept, what became stale or may not be drawn in
 * this channel); `after` runs once the drawings and their ledger rows are in.
 */
export interface Admission<T> {
	readonly ownerId: string;
	/** The ledger row's kind. */
	readonly kind: DrawingKind;
	reserve(tx: Tx): Promise<Reservation> | Reservation;
	store(tx: Tx, access: { readonly paidBy: PaidBy }): Promise<{ readonly drawings: readonly NewDrawing[]; readonly content: T }>;
	after?(tx: Tx): Promise<void>;
}

export interface Admitted<T> {
	readonly content: T;
	/** In the order `store` gave them. */
	readonly drawings: readonly Drawing[];
	readonly placement: Placement;
	/** Drawings of the user made due by this admission (older waiting ones first); the runner starts them. */
	readonly promoted: readonly string[];
	/** Whose key pays, fixed on every drawing. */
	readonly paidBy: PaidBy;
}

/**
 * The one admission of every drawing, in one transaction: take the user's turn (lockUser; two commands
 * of one user at the same instant cannot both take the last slot), read access again, check the limits
 * and the queue's bound again, place the drawings in the user's queue, store the content and the
 * drawings (leased to the caller with a free slot, else waiting: ./queue.ts), write their ledger rows
 * with their reservations (no later delete gives them back), and promote older waiting drawings into
 * free slots. Without a lease (a story: its drawings are started by the runner) every drawing waits, a
 * millisecond apart so the queue (oldest first) keeps their order, and the free slots are filled at
 * once. Nothing is stored when anything refuses. A unique violation (a panel number taken by a
 * racing move; read under the project's order lock, so a safety net only) is retried a few times.
 * See docs/decisions/023-drawings-module.md.
 */
export async function admit<T>(
	db: Db,
	limits: PanelLimits,
	admission: Admission<T>,
	message: DrawingMessageRef,
	lease: { owner: string; until: Date } | null,
	now = Date.now(),
): Promise<Admitted<T>> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await db.$transaction((tx) => admitIn(tx, limits, admission, message, lease, now));
		} catch (error) {
			if (!isUniqueViolation(error) || attempt >= 5) throw error;
		}
	}
}

async function admitIn<T>(
	tx: Tx,
	limits: PanelLimits,
	admission: Admission<T>,
	message: DrawingMessageRef,
	lease: { owner: string; until: Date } | null,
	now: number,
): Promise<Admitted<T>> {
	const { ownerId } = admission;
	await lockUser(tx, ownerId, new Date(now));
	const { guildId, buzz: reserved } = await admission.reserve(tx);
	const asker = { ownerId, guildId };
	// Read again in the turn, in one statement: access (whose key pays is fixed on the drawings), the
	// limits and the queue's placement are all decided on what it counted.
	const facts = await readLimitFacts(tx, limits, asker, now);
	const access = accessOf(limits, facts);
	const count = reserved.length;
	await checkCounts(
		tx,
		access.limits,
		asker,
		now,
		count,
		reserved.reduce((sum, buzz) => sum + buzz, 0),
		facts,
	);
	const placement = placeNext(access.limits, facts, count);
	const { drawings: planned, content } = await admission.store(tx, access);
	const waitsAll = lease === null;
	const drawings: Drawing[] = [];
	for (const [index, drawing] of planned.entries()) {
		const at = now + (waitsAll ? index : 0);
		const stored = await insertDrawing(
			tx,
			{ ...drawing, ownerId: asker.ownerId, guildId: asker.guildId, paidBy: access.paidBy, ...(waitsAll ? { createdAt: new Date(at) } : {}) },
			message,
			lease ?? { owner: '', until: new Date(now) },
			now,
			waitsAll ? { status: 'waiting' } : placement,
		);
		drawings.push(stored);
		// The limits ledger, in the same transaction: no later delete gives this drawing back.
		const buzzEstimated = reserved[index] ?? reserved[reserved.length - 1] ?? 0;
		await recordDrawingUsage(
			tx,
			{ drawingId: stored.id, userId: asker.ownerId, guildId: asker.guildId, kind: admission.kind, paidBy: access.paidBy, buzzEstimated },
			at,
		);
	}
	await admission.after?.(tx);
	// Older waiting drawings with a free slot (a crash left them, or a story's): they start first, in order.
	const promoted = waitsAll || placement.status === 'waiting' ? await promoteAfterCreate(tx, access.limits, asker.ownerId, now) : [];
	return { content, drawings, placement, promoted, paidBy: access.paidBy };
}
