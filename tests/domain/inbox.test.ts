// The interaction inbox (src/db/inbox.ts) on a real database without Discord: an accepted interaction is
// stored before `accept` resolves, a burst is written in a few statements, a duplicate does not fail the
// others, and removals are batched and best effort.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { Inbox, type InboxArrival } from '../../src/db/inbox.ts';
import { freshDatabase } from '../databases.ts';

let database: Database;
let dropDatabase: () => Promise<void>;
let dataDir: string;
let statements = 0;

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'comic-inbox-'));
	const fresh = await freshDatabase();
	dropDatabase = fresh.drop;
	database = await openDatabase({
		databaseUrl: fresh.url,
		dataDir,
		onQuery: () => {
			statements++;
		},
	});
});

afterAll(async () => {
	await database?.close();
	await dropDatabase?.();
	rmSync(dataDir, { recursive: true, force: true });
});

let serial = 0;
function arrival(fields: Partial<InboxArrival> = {}): InboxArrival {
	serial++;
	return { interactionId: `i-${serial}-${Math.random()}`, applicationId: 'app', token: `token-${serial}`, command: 'panel', owner: 'host:1:aaaaaa', ...fields };
}

const stored = async (ids: readonly string[]) =>
	(await database.db.inboxEntry.findMany({ where: { interactionId: { in: [...ids] } }, select: { interactionId: true } }))
		.map((row) => row.interactionId)
		.sort();

test('an accepted interaction is stored, with what it was, by the time accept resolves', async () => {
	const inbox = new Inbox(database.db);
	const one = arrival({ command: 'project create' });
	await inbox.accept(one);
	const row = await database.db.inboxEntry.findUniqueOrThrow({ where: { interactionId: one.interactionId } });
	expect(row).toMatchObject(one);
	expect(row.receivedAt).toBeInstanceOf(Date);
});

test('a burst of arrivals is written in a few statements, not one per interaction, and every one is stored', async () => {
	const inbox = new Inbox(database.db);
	const burst = Array.from({ length: 60 }, () => arrival());
	const before = statements;
	await Promise.all(burst.map((one) => inbox.accept(one)));
	expect(statements - before).toBeLessThan(15);
	expect(await stored(burst.map((one) => one.interactionId))).toEqual(burst.map((one) => one.interactionId).sort());
	// Arrivals after the burst are written too: the writer starts again.
	const late = arrival();
	await inbox.accept(late);
	expect(await stored([late.interactionId])).toEqual([late.interactionId]);
});

test('an interaction delivered twice in one burst does not fail the others: each accept resolves, one row each', async () => {
	const inbox = new Inbox(database.db);
	const first = arrival();
	await inbox.accept(first);
	const again = { ...first, token: 'another token' };
	const others = [arrival(), arrival()];
	const blocker = arrival();
	// The first accept starts a write alone; the rest wait for the next batch, which holds the duplicate.
	await Promise.all([inbox.accept(blocker), inbox.accept(others[0] as InboxArrival), inbox.accept(again), inbox.accept(others[1] as InboxArrival)]);
	expect(await stored([first.interactionId, blocker.interactionId, ...others.map((one) => one.interactionId)])).toEqual(
		[first.interactionId, blocker.interactionId, ...others.map((one) => one.interactionId)].sort(),
	);
	// The row kept is the first one stored.
	expect((await database.db.inboxEntry.findUniqueOrThrow({ where: { interactionId: first.interactionId } })).token).toBe(first.token);
});

test("when the database refuses the write, accept rejects (the caller does not acknowledge); a failed removal is nobody's error", async () => {
	const dir = mkdtempSync(join(tmpdir(), 'comic-inbox-broken-'));
	const fresh = await freshDatabase();
	const broken = await openDatabase({ databaseUrl: fresh.url, dataDir: dir });
	try {
		await broken.db.$executeRawUnsafe('DROP TABLE "InboxEntry"');
		const inbox = new Inbox(broken.db);
		await expect(inbox.accept(arrival())).rejects.toThrow();
		inbox.finish('whatever');
		await expect(inbox.flush()).resolves.toBeUndefined();
	} finally {
		await broken.close();
		await fresh.drop();
		rmSync(dir, { recursive: true, force: true });
	}
});

test('finished interactions are removed after a short wait without a flush; others stay', async () => {
	const inbox = new Inbox(database.db);
	const [a, b, c] = [arrival(), arrival(), arrival()];
	await Promise.all([a, b, c].map((one) => inbox.accept(one)));
	inbox.finish(a.interactionId);
	inbox.finish(b.interactionId);
	await vi.waitFor(async () => expect(await stored([a.interactionId, b.interactionId])).toEqual([]), { timeout: 5_000, interval: 20 });
	expect(await stored([c.interactionId])).toEqual([c.interactionId]);
});

test('flush writes what is queued and removes what finished at once, without waiting for the batch', async () => {
	const inbox = new Inbox(database.db);
	const [a, b] = [arrival(), arrival()];
	await inbox.accept(a);
	const accepting = inbox.accept(b);
	inbox.finish(a.interactionId);
	await inbox.flush();
	expect(await stored([a.interactionId, b.interactionId])).toEqual([b.interactionId]);
	await accepting;
	// A later finish after a flush is batched again.
	inbox.finish(b.interactionId);
	await inbox.flush();
	expect(await stored([b.interactionId])).toEqual([]);
});

test("leftovers are other processes' rows, oldest first, at most the limit; remove deletes the named rows", async () => {
	const inbox = new Inbox(database.db);
	await database.db.inboxEntry.deleteMany({});
	const at = (minutes: number) => new Date(Date.parse('2026-12-04T12:00:00Z') + minutes * 60_000);
	const rows = [
		{ ...arrival({ owner: 'dead:1:aaaaaa' }), receivedAt: at(2) },
		{ ...arrival({ owner: 'dead:1:aaaaaa' }), receivedAt: at(0) },
		{ ...arrival({ owner: 'me:1:bbbbbb' }), receivedAt: at(-5) },
		{ ...arrival({ owner: 'other:2:cccccc' }), receivedAt: at(1) },
	];
	await database.db.inboxEntry.createMany({ data: rows });
	const left = await inbox.leftovers('me:1:bbbbbb', 10);
	expect(left.map((row) => row.interactionId)).toEqual([rows[1], rows[3], rows[0]].map((row) => row?.interactionId));
	expect(left[0]).toMatchObject({ applicationId: 'app', command: 'panel', owner: 'dead:1:aaaaaa', receivedAt: at(0) });
	expect((await inbox.leftovers('me:1:bbbbbb', 2)).map((row) => row.interactionId)).toEqual([rows[1], rows[3]].map((row) => row?.interactionId));

	const before = statements;
	await inbox.remove([]);
	expect(statements).toBe(before);
	await inbox.remove([rows[1]?.interactionId ?? '', rows[3]?.interactionId ?? '']);
	expect((await inbox.leftovers('me:1:bbbbbb', 10)).map((row) => row.interactionId)).toEqual([rows[0]?.interactionId]);
});
