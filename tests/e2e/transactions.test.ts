// A burst of commands stores its panels in interactive transactions that take turns on the embedded
// database's one connection: none may fail for lack of a turn (Prisma gives up after 2 s by default),
// and statements outside them wait instead of slipping into one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Database, lockUser, openDatabase } from '../../src/db/database.ts';
import { freshDatabase } from '../databases.ts';

let database: Database;
let cleanup: () => Promise<void>;
beforeAll(async () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'comic-transactions-'));
	const server = await freshDatabase();
	database = await openDatabase({ databaseUrl: server.url, dataDir });
	cleanup = async () => {
		await database.close();
		await server.drop();
		rmSync(dataDir, { recursive: true, force: true });
	};
});
afterAll(async () => {
	await cleanup?.();
});

test('300 transactions at once, each holding its turn 10 ms (a loaded machine), with statements outside them meanwhile, all commit; none interleaves with another', async () => {
	const { db } = database;
	let inside = 0;
	let overlapped = 0;
	const outside: Promise<number>[] = [];
	const results = await Promise.allSettled(
		Array.from({ length: 300 }, (_, index) =>
			db.$transaction(async (tx) => {
				inside++;
				if (inside > 1 && database.provider === 'sqlite') overlapped++;
				await lockUser(tx, `user-${index % 40}`, new Date());
				await tx.userSlot.count();
				// A statement of other work while this transaction is open: it must not run inside it.
				if (index % 10 === 0) outside.push(db.userSlot.count());
				await tx.userSlot.findMany({ take: 1 });
				// Statements slowed by a loaded machine: 300 in a row take 3 s, longer than Prisma's default wait of 2 s.
				await new Promise((resolve) => setTimeout(resolve, 10));
				inside--;
			}),
		),
	);
	expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
	expect(overlapped).toBe(0);
	expect(await Promise.all(outside)).toHaveLength(30);
	expect(await db.userSlot.count()).toBe(40);
});
