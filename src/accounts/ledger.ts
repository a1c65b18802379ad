import type { Db, Tx } from '../db/database.ts';
import type { PaidBy } from './spend.ts';

/**
 * The limits ledger (UsageEntry): one row per drawing admitted, written in the transaction that admits
 * it, and one per story plan asked of the LLM. Rows have no foreign key to drawings, panels or
 * projects, so no delete shrinks what a user or a server used: the daily limits, the Buzz budgets and
 * `/comic usage` all count from here. See docs/decisions/016-limits-ledger.md.
 */
/** What a drawing row admitted; story plans are rows of kind `story-plan` with no drawing. */
export type DrawingKind = 'panel' | 'redraw' | 'edit' | 'story-panel' | 'change';

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What one LoRA picture costs, about: the orchestrator charges ~10 Buzz for an 832x1216, 25-step
 * SDXL picture (../shared/reference/civitai.md; SD1 at 512x768 costs less, Flux about as much). Used
 * where the code has no `whatif` of its own (a single panel, a redraw): a `whatif` per panel would add
 * an orchestrator call before every acknowledgement. The workflow's `cost.total` corrects it when the
 * drawing ends (correctUsage).
 */
export const LORA_BUZZ_PER_PICTURE = 10;

/** The estimate of a LoRA drawing of `takes` pictures (see LORA_BUZZ_PER_PICTURE). */
export function estimateLoraBuzz(takes: number): number {
	return LORA_BUZZ_PER_PICTURE * Math.max(1, takes);
}

export interface DrawingAdmission {
	readonly drawingId: string;
	readonly userId: string;
	readonly guildId: string | null;
	readonly kind: DrawingKind;
	readonly paidBy: PaidBy;
	/** Buzz this drawing is expected to cost, counted against the Buzz budgets until corrected. */
	readonly buzzEstimated: number;
}

/**
 * Writes the ledger row of an admitted drawing. Call it inside the transaction that stores the drawing,
 * after `checkLimits` (given the same estimate) passed in that transaction under the user's turn.
 */
export async function recordDrawingUsage(tx: Tx, admission: DrawingAdmission, now: number): Promise<void> {
	await tx.usageEntry.create({ data: { ...admission, createdAt: new Date(now) } });
}

/** Notes an LLM story plan asked for (inside the transaction that checked the count, under the user's turn). */
export async function recordStoryPlanUsage(tx: Tx, entry: { readonly userId: string; readonly guildId: string | null }, now: number): Promise<void> {
	await tx.usageEntry.create({ data: { ...entry, kind: 'story-plan', createdAt: new Date(now) } });
}

/**
 * A better estimate of a drawing still running (its whatif, known after its references were uploaded):
 * replaces the admission's reservation. A row already corrected by `cost.total` keeps that.
 */
export async function reviseEstimate(db: Db | Tx, drawingId: string, buzzEstimated: number): Promise<void> {
	await db.usageEntry.updateMany({ where: { drawingId, buzzActual: null }, data: { buzzEstimated } });
}

/**
 * What a drawing really cost, once its workflow ended (`cost.total`; 0 when it ended without a
 * charge). Replaces the estimate in every count; the row itself stays.
 */
export async function correctUsage(db: Db | Tx, drawingId: string, buzzActual: number): Promise<void> {
	await db.usageEntry.updateMany({ where: { drawingId }, data: { buzzActual } });
}

/** Who a count is about: one user (everywhere), one server, or one user in one server (`/comic usage user:`). */
export type Scope = { readonly userId: string } | { readonly guildId: string } | { readonly userId?: string; readonly guildId?: string };

/** The drawings' rows of a scope since `since`, all but the one of drawing `except` (whose estimate is being replaced). */
const drawingsOf = (scope: Scope, since: number, except?: string) => ({
	...scope,
	kind: { not: 'story-plan' },
	createdAt: { gte: new Date(since) },
	...(except === undefined ? {} : { OR: [{ drawingId: null }, { drawingId: { not: except } }] }),
});

/** How many drawings a user or a server had admitted in the 24 hours before `now`. */
export function drawingCount(db: Db | Tx, scope: Scope, now: number): Promise<number> {
	return db.usageEntry.count({ where: drawingsOf(scope, now - DAY_MS) });
}

/** The Buzz of a user's or a server's drawings since `since`: what they cost where known, else their estimates. */
export async function buzzSince(db: Db | Tx, scope: Scope, since: number, except?: string): Promise<number> {
	const where = drawingsOf(scope, since, except);
	const known = await db.usageEntry.aggregate({ where: { ...where, buzzActual: { not: null } }, _sum: { buzzActual: true } });
	const estimated = await db.usageEntry.aggregate({ where: { ...where, buzzActual: null }, _sum: { buzzEstimated: true } });
	return (known._sum.buzzActual ?? 0) + (estimated._sum.buzzEstimated ?? 0);
}

/** The oldest `take` drawings of the last 24 hours, with the Buzz each counts for: when places free up. */
export async function oldestDrawings(db: Db | Tx, scope: Scope, now: number, take: number, except?: string): Promise<{ at: Date; buzz: number }[]> {
	const rows = await db.usageEntry.findMany({
		where: drawingsOf(scope, now - DAY_MS, except),
		select: { createdAt: true, buzzEstimated: true, buzzActual: true },
		orderBy: { createdAt: 'asc' },
		take,
	});
	return rows.map((row) => ({ at: row.createdAt, buzz: row.buzzActual ?? row.buzzEstimated }));
}

/** Story plans the user asked for in the 24 hours before `now`, oldest first (at most `take`). */
export async function storyPlansSince(db: Db | Tx, userId: string, now: number, take: number): Promise<Date[]> {
	const rows = await db.usageEntry.findMany({
		where: { userId, kind: 'story-plan', createdAt: { gte: new Date(now - DAY_MS) } },
		select: { createdAt: true },
		orderBy: { createdAt: 'asc' },
		take,
	});
	return rows.map((row) => row.createdAt);
}
