import type { Db } from '../db/database.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

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

/** Panels drawn and Buzz spent in the last 24 hours and 30 days; `guildId` narrows it to one server. */
export async function usageOf(db: Db, who: { readonly userId?: string; readonly guildId?: string }, now = Date.now()): Promise<Usage> {
	const [day, month] = await Promise.all([totals(db, who, now - DAY_MS), totals(db, who, now - 30 * DAY_MS)]);
	return { day, month };
}

/** The server's members who drew the most in the last 30 days, most Buzz first. */
export async function topUsers(db: Db, guildId: string, take = 10, now = Date.now()): Promise<TopUser[]> {
	const groups = await db.spend.groupBy({
		by: ['userId'],
		where: { guildId, createdAt: { gte: new Date(now - 30 * DAY_MS) } },
		_count: { _all: true },
		_sum: { buzz: true },
		orderBy: { _sum: { buzz: 'desc' } },
		take,
	});
	return groups.map((group) => ({ userId: group.userId, panels: group._count._all, buzz: group._sum.buzz ?? 0 }));
}

async function totals(db: Db, who: { readonly userId?: string; readonly guildId?: string }, since: number): Promise<Totals> {
	const result = await db.spend.aggregate({
		where: { ...(who.userId ? { userId: who.userId } : {}), ...(who.guildId ? { guildId: who.guildId } : {}), createdAt: { gte: new Date(since) } },
		_count: { _all: true },
		_sum: { buzz: true },
	});
	return { panels: result._count._all, buzz: result._sum.buzz ?? 0 };
}
