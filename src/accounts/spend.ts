import type { Db } from '../db/database.ts';

export type PaidBy = 'user' | 'bot';

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

function isUniqueViolation(error: unknown): boolean {
	return typeof error === 'object' && error !== null && 'code' in error && error.code === 'P2002';
}
