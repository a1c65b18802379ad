// The embedded database runs one transaction at a time (src/db/beforeEachStatement.ts). Transactions that
// wait for each other must not follow one another in one chain of promises: fifty stories admitted at once
// held the event loop for 1.5 s, so no interaction was read or acknowledged meanwhile. Each begins in a
// callback of its own, after the event loop has turned.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { freshDatabase } from '../databases.ts';

test('transactions of the embedded database that wait for each other let timers run between them', async () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'transaction-turns-'));
	const { db, close } = await openDatabase({ dataDir });
	let ticks = 0;
	const ticker = setInterval(() => ticks++, 1);
	try {
		const seen: number[] = [];
		// Twenty statements each: a transaction lasts well over a millisecond, so a turn between two always sees the ticker.
		await Promise.all(
			Array.from({ length: 10 }, () =>
				db.$transaction(async (tx) => {
					seen.push(ticks);
					for (let statement = 0; statement < 20; statement++) await tx.inboxEntry.count();
				}),
			),
		);
		expect(seen).toHaveLength(10);
		// In one chain of promises the ticker never runs: every transaction would see the same count.
		for (let index = 1; index < seen.length; index++) expect(seen[index]).toBeGreaterThan(seen[index - 1] ?? 0);
	} finally {
		clearInterval(ticker);
		await close();
		rmSync(dataDir, { recursive: true, force: true });
	}
});

test('a statement outside a transaction runs between two waiting transactions, not after all of them', async () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'transaction-turns-'));
	const { db, close } = await openDatabase({ dataDir });
	try {
		const order: string[] = [];
		const transactions = Array.from({ length: 5 }, (_, index) =>
			db.$transaction(async (tx) => {
				order.push(`begin ${index}`);
				for (let statement = 0; statement < 5; statement++) await tx.inboxEntry.count();
				order.push(`end ${index}`);
			}),
		);
		// Sent while the first transaction runs: it waits for that one only.
		await new Promise((resolve) => setImmediate(resolve));
		const outside = db.inboxEntry.count().then(() => order.push('outside'));
		await Promise.all([...transactions, outside]);
		expect(order.indexOf('outside')).toBeLessThan(order.indexOf('begin 2'));
	} finally {
		await close();
		rmSync(dataDir, { recursive: true, force: true });
	}
});

// Only PostgreSQL has a pool; CI runs the suite on it too.
test.skipIf(!process.env.TEST_DATABASE_URL)(
	'on a pool, transactions never take every connection: a single statement runs while more transactions than fit wait',
	async () => {
		const fresh = await freshDatabase();
		const dataDir = mkdtempSync(join(tmpdir(), 'transaction-turns-'));
		// A pool of 4: at most 2 transactions at once, 2 connections left to single statements.
		const { db, close } = await openDatabase({ databaseUrl: fresh.url, dataDir, poolSize: 4 });
		try {
			let open = 0;
			let most = 0;
			let release: () => void = () => undefined;
			let bothOpen: () => void = () => undefined;
			const twoOpen = new Promise<void>((resolve) => {
				bothOpen = resolve;
			});
			const held = new Promise<void>((resolve) => {
				release = resolve;
			});
			const transactions = Array.from({ length: 6 }, () =>
				db.$transaction(async (tx) => {
					open++;
					most = Math.max(most, open);
					await tx.inboxEntry.count();
					if (open === 2) bothOpen();
					await held;
					open--;
				}),
			);
			await twoOpen;
			// Answered while two transactions hold their connections and four wait for a place: were the pool's
			// connections all taken by transactions, this would wait for `held`, which comes only after it.
			await db.inboxEntry.count();
			await db.inboxEntry.count();
			release();
			await Promise.all(transactions);
			expect(most).toBe(2);
		} finally {
			await close();
			await fresh.drop();
			rmSync(dataDir, { recursive: true, force: true });
		}
	},
);
