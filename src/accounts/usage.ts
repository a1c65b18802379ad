import type { Db } from '../db/database.ts';
import { buzzSince, DAY_MS } from './ledger.ts';

export interface Totals {
	readonly panels: number;
	readonly buzz: number;
}

export interface Usage {
	readonly day: Totals;
	readonly month: Totals;
}

export interface TopUser extends Totals {
	readonly userId: string;
}

type Who = { readonly userId?: string; readonly guildId?: string };

/**
 * Panels drawn and Buzz spent in the last 24 hours and 30 days; `guildId` narrows it to one server.
 * Read from the limits ledger (./ledger.ts), as the limits are: deleting panels or projects changes
 * nothing here. Buzz is what each drawing cost where known, else its estimate at admission.
 */
export async function usageOf(db: Db, who: Who, now = Date.now()): Promise<Usage> {
	const [day, month] = await Promise.all([totals(db, who, now - DAY_MS), totals(db, who, now - 30 * DAY_MS)]);
	return { day, month };
}

/** The server's members who drew the most in the last 30 days, most Buzz first. */
export async function topUsers(db: Db, guildId: string, take = 10, now = Date.now()): Promise<TopUser[]> {
	const where = { guildId, kind: { not: 'story-plan' }, createdAt: { gte: new Date(now - 30 * DAY_MS) } };
	const [known, estimated] = await Promise.all([
		db.usageEntry.groupBy({ by: ['userId'], where: { ...where, buzzActual: { not: null } }, _count: { _all: true }, _sum: { buzzActual: true } }),
		db.usageEntry.groupBy({ by: ['userId'], where: { ...where, buzzActual: null }, _count: { _all: true }, _sum: { buzzEstimated: true } }),
	]);
	const byUser = new Map<string, { panels: number; buzz: number }>();
	const add = (userId: string, panels: number, buzz: number) => {
		const sum = byUser.get(userId) ?? { panels: 0, buzz: 0 };
		byUser.set(userId, { panels: sum.panels + panels, buzz: sum.buzz + buzz });
	};
	for (const group of known) add(group.userId, group._count._all, group._sum.buzzActual ?? 0);
	for (const group of estimated) add(group.userId, group._count._all, group._sum.buzzEstimated ?? 0);
	return [...byUser.entries()]
		.map(([userId, sum]) => ({ userId, ...sum }))
		.sort((a, b) => b.buzz - a.buzz || b.panels - a.panels)
		.slice(0, take);
}

async function totals(db: Db, who: Who, since: number): Promise<Totals> {
	const scope = { ...(who.userId ? { userId: who.userId } : {}), ...(who.guildId ? { guildId: who.guildId } : {}) };
	const [panels, buzz] = await Promise.all([
		db.usageEntry.count({ where: { ...scope, kind: { not: 'story-plan' }, createdAt: { gte: new Date(since) } } }),
		buzzSince(db, scope, since),
	]);
	return { panels, buzz };
}
