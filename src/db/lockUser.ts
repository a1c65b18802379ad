import type { PrismaClient as Db } from './generated/postgres/client.ts';

/** A transaction client of either database (same models; see the note on `Db`). */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/**
 * Makes the rest of a transaction the only one of this user at a time: a write to the user's row
 * holds a row lock on PostgreSQL until commit, and the database write lock on SQLite. One statement
 * on both (an upsert in SQL that both speak), so a check and the insert after it cannot interleave
 * with another request of the same user in any process.
 */
export async function lockUser(tx: Tx, userId: string, now: Date): Promise<void> {
	await tx.$executeRaw`INSERT INTO "UserSlot" ("userId", "updatedAt") VALUES (${userId}, ${now}) ON CONFLICT ("userId") DO UPDATE SET "updatedAt" = excluded."updatedAt"`;
}
