import type { Db } from '../db/database.ts';

export type PaidBy = 'user' | 'bot';

export function isPaidBy(value: string): value is PaidBy {
	return value === 'user' || value === 'bot';
}

export interface SpendRecord {
	readonly panelId: string;
	/** One row per workflow: a result read twice (a retried step, a takeover) is counted once. */
	readonly workflowId?: string | undefined;
	readonly userId: string;
	readonly guildId: string | null;
	readonly buzz: number;
	readonly paidBy: PaidBy;
}

/** Notes what a finished workflow cost and whose key paid it. */
export async function recordSpend(db: Db, record: SpendRecord, now = new Date()): Promise<void> {
	try {
		await db.spend.create({ data: { ...record, createdAt: now } });
	} catch (error) {
		if (isUniqueViolation(error)) return;
		throw error;
	}
	if (record.paidBy === 'user') await db.userKey.updateMany({ where: { userId: record.userId }, data: { lastUsedAt: now } });
}

/**
 * What a succeeded workflow of a panel cost (`cost.total`), paid by the owner's key or the bot's.
 * `panel` is the Panel (its id, not the drawing's): a Spend row outlives the drawing and the panel.
 */
export async function recordWorkflowSpend(
	db: Db,
	paidBy: PaidBy,
	panel: { readonly id: string; readonly ownerId: string; readonly guildId: string | null },
	workflow: { readonly id: string; readonly cost?: { readonly total?: number | null | undefined } | null | undefined },
): Promise<void> {
	const record = { panelId: panel.id, workflowId: workflow.id, userId: panel.ownerId, guildId: panel.guildId, buzz: workflow.cost?.total ?? 0 };
	await recordSpend(db, { ...record, paidBy });
}

function isUniqueViolation(error: unknown): boolean {
	return typeof error === 'object' && error !== null && 'code' in error && error.code === 'P2002';
}
