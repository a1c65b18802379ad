// The drawings table as the job runner sees it, on a real database without Discord: the guarantees the
// runner's correctness rests on (a claim takes only free, due rows; only the lease holder stores or
// renews), checked row by row.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Database, drawingJobs, openDatabase } from '../../src/db/database.ts';
import { freshDatabase } from '../databases.ts';

let database: Database;
let dropDatabase: () => Promise<void>;
let dataDir: string;
let panelId: string;
const NOW = new Date('2026-12-04T12:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'comic-jobs-'));
	const fresh = await freshDatabase();
	dropDatabase = fresh.drop;
	database = await openDatabase({ databaseUrl: fresh.url, dataDir });
	const project = await database.db.project.create({ data: { ownerId: 'u1', name: 'Jobs', nameKey: 'jobs' } });
	panelId = (await database.db.panel.create({ data: { projectId: project.id, number: 1, ownerId: 'u1', prompt: 'p', enhance: false } })).id;
});

afterAll(async () => {
	await database?.close();
	await dropDatabase?.();
	rmSync(dataDir, { recursive: true, force: true });
});

async function drawing(job: { dueAt: Date | null; leaseOwner?: string; leaseUntil?: Date }): Promise<string> {
	const row = await database.db.drawing.create({
		data: {
			panelId,
			ownerId: 'u1',
			applicationId: 'app',
			interactionId: `i-${Math.random()}`,
			interactionToken: 't',
			interactionCreatedAt: NOW,
			channelId: 'c',
			dueAt: job.dueAt,
			leaseOwner: job.leaseOwner ?? null,
			leaseUntil: job.leaseUntil ?? null,
		},
	});
	return row.id;
}

test('a claim takes due rows whose lease is free or ran out, and never one another process holds or one not yet due', async () => {
	const table = drawingJobs(database.db);
	const free = await drawing({ dueAt: later(-1000) });
	const expired = await drawing({ dueAt: later(-1000), leaseOwner: 'other/1', leaseUntil: later(-1) });
	const held = await drawing({ dueAt: later(-1000), leaseOwner: 'other/2', leaseUntil: later(60_000) });
	const notDue = await drawing({ dueAt: later(60_000) });
	const done = await drawing({ dueAt: null });

	const due = await table.due(NOW, 100);
	expect(due).toEqual(expect.arrayContaining([free, expired]));
	expect(due).not.toContain(held);
	expect(due).not.toContain(notDue);
	expect(due).not.toContain(done);

	// Even when asked for by id, a held or not-due row is not taken.
	const claimed = await table.claim([free, expired, held, notDue, done], NOW, 'me/1', later(30_000));
	expect(claimed.sort()).toEqual([free, expired].sort());
	const heldRow = await database.db.drawing.findUniqueOrThrow({ where: { id: held } });
	expect(heldRow.leaseOwner).toBe('other/2');
});

test('of two claims racing for the same rows, each row goes to exactly one', async () => {
	const table = drawingJobs(database.db);
	const ids = await Promise.all(Array.from({ length: 6 }, () => drawing({ dueAt: later(-1000) })));
	const [a, b] = await Promise.all([table.claim(ids, NOW, 'race/a', later(30_000)), table.claim(ids, NOW, 'race/b', later(30_000))]);
	expect([...a, ...b].sort()).toEqual([...ids].sort());
	expect(a.filter((id) => b.includes(id))).toEqual([]);
});

test('only the lease holder stores an outcome or renews; a store without the lease writes nothing', async () => {
	const table = drawingJobs(database.db);
	const id = await drawing({ dueAt: later(-1000), leaseOwner: 'holder/1', leaseUntil: later(30_000) });

	expect(await table.store(id, 'thief/1', { failureReason: 'stolen' }, { dueAt: null, errorCount: 0, leaseUntil: null })).toBe(false);
	expect(await table.renew(id, 'thief/1', later(90_000))).toBe(false);
	let row = await database.db.drawing.findUniqueOrThrow({ where: { id } });
	expect([row.failureReason, row.leaseOwner, row.leaseUntil?.getTime(), row.dueAt?.getTime()]).toEqual([
		null,
		'holder/1',
		later(30_000).getTime(),
		later(-1000).getTime(),
	]);

	expect(await table.renew(id, 'holder/1', later(90_000))).toBe(true);
	expect(await table.store(id, 'holder/1', { failureReason: 'done' }, { dueAt: null, errorCount: 0, leaseUntil: null })).toBe(true);
	row = await database.db.drawing.findUniqueOrThrow({ where: { id } });
	// Storing a final outcome lets go of the row.
	expect([row.failureReason, row.leaseOwner, row.leaseUntil, row.dueAt]).toEqual(['done', null, null, null]);
});

test('a store that keeps the row keeps its lease; releasing a dead owner frees only its rows', async () => {
	const table = drawingJobs(database.db);
	const mine = await drawing({ dueAt: later(-1000), leaseOwner: 'host:1:aa/x', leaseUntil: later(30_000) });
	const theirs = await drawing({ dueAt: later(-1000), leaseOwner: 'host:2:bb/y', leaseUntil: later(30_000) });
	expect(await table.store(mine, 'host:1:aa/x', {}, { dueAt: NOW, errorCount: { increment: 1 }, leaseUntil: later(60_000) })).toBe(true);
	const kept = await database.db.drawing.findUniqueOrThrow({ where: { id: mine } });
	expect([kept.leaseOwner, kept.leaseUntil?.getTime(), kept.errorCount]).toEqual(['host:1:aa/x', later(60_000).getTime(), 1]);

	expect(await table.releaseOwnedBy('host:1:aa/')).toBe(1);
	const [released, untouched] = await Promise.all([mine, theirs].map((id) => database.db.drawing.findUniqueOrThrow({ where: { id } })));
	expect([released?.leaseOwner, untouched?.leaseOwner]).toEqual([null, 'host:2:bb/y']);
});

/** Settles the rows of earlier tests (nothing due, nothing leased), so the table reads below see only their own. */
async function isolated(): Promise<{ table: ReturnType<typeof drawingJobs>; make: typeof drawing }> {
	await database.db.drawing.updateMany({ data: { dueAt: null, leaseOwner: null, leaseUntil: null } });
	return { table: drawingJobs(database.db), make: drawing };
}

test('due lists free due rows longest due first, at most the limit', async () => {
	const { table, make } = await isolated();
	const second = await make({ dueAt: later(-2000) });
	const first = await make({ dueAt: later(-5000) });
	const third = await make({ dueAt: NOW });
	await make({ dueAt: later(1) });
	expect(await table.due(NOW, 100)).toEqual([first, second, third]);
	expect(await table.due(NOW, 2)).toEqual([first, second]);
});

test('a claim leases the rows to its owner until the given time and reports them', async () => {
	const { table, make } = await isolated();
	const a = await make({ dueAt: later(-1000) });
	const b = await make({ dueAt: later(-1000) });
	expect(await table.claim([a], NOW, 'claimer/1', later(30_000))).toEqual([a]);
	const row = await database.db.drawing.findUniqueOrThrow({ where: { id: a } });
	expect([row.leaseOwner, row.leaseUntil?.getTime()]).toEqual(['claimer/1', later(30_000).getTime()]);
	expect(await table.claim([b], NOW, 'claimer/2', later(30_000))).toEqual([b]);
});

test('the earliest due free row (even one due later) and the oldest due free row, ignoring held ones', async () => {
	const { table, make } = await isolated();
	expect(await table.earliestDue(NOW)).toBeUndefined();
	expect(await table.oldestDue(NOW)).toBeUndefined();
	await make({ dueAt: later(30_000) });
	expect((await table.earliestDue(NOW))?.getTime()).toBe(later(30_000).getTime());
	// Due only later: not yet lagging.
	expect(await table.oldestDue(NOW)).toBeUndefined();
	await make({ dueAt: later(-9000), leaseOwner: 'other/1', leaseUntil: later(60_000) });
	await make({ dueAt: later(-4000) });
	await make({ dueAt: later(-3000), leaseOwner: 'gone/1', leaseUntil: later(-1) });
	expect((await table.earliestDue(NOW))?.getTime()).toBe(later(-4000).getTime());
	expect((await table.oldestDue(NOW))?.getTime()).toBe(later(-4000).getTime());
});

test('lease owners are those whose lease has not run out, each once', async () => {
	const { table, make } = await isolated();
	await make({ dueAt: null, leaseOwner: 'alive:1:a/x', leaseUntil: later(10_000) });
	await make({ dueAt: null, leaseOwner: 'alive:1:a/x', leaseUntil: later(20_000) });
	await make({ dueAt: null, leaseOwner: 'edge:1:b/y', leaseUntil: NOW });
	await make({ dueAt: null, leaseOwner: 'expired:1:c/z', leaseUntil: later(-1) });
	expect((await table.leaseOwners(NOW)).sort()).toEqual(['alive:1:a/x', 'edge:1:b/y']);
});

test('make due: while generating its own workflow; unfinished while queued or generating and not done; or whatever its state', async () => {
	const { table } = await isolated();
	const generating = await drawing({ dueAt: later(60_000) });
	await database.db.drawing.update({ where: { id: generating }, data: { status: 'generating', workflowId: 'wf-9' } });
	const dueOf = async (id: string) => (await database.db.drawing.findUniqueOrThrow({ where: { id } })).dueAt?.getTime();

	expect(await table.makeDueWhileGenerating(generating, 'wf-other', NOW)).toBe(false);
	expect(await dueOf(generating)).toBe(later(60_000).getTime());
	expect(await table.makeDueWhileGenerating(generating, 'wf-9', NOW)).toBe(true);
	expect(await dueOf(generating)).toBe(NOW.getTime());

	const ready = await drawing({ dueAt: null });
	await database.db.drawing.update({ where: { id: ready }, data: { status: 'ready', workflowId: 'wf-9' } });
	expect(await table.makeDueWhileGenerating(ready, 'wf-9', NOW)).toBe(false);
	expect(await table.makeDueUnfinished(ready, NOW)).toBe(false);
	expect(await dueOf(ready)).toBeUndefined();

	const queued = await drawing({ dueAt: later(60_000) });
	expect(await table.makeDueUnfinished(queued, NOW)).toBe(true);
	expect(await dueOf(queued)).toBe(NOW.getTime());
	// Queued but with nothing to do (waiting on no step): left alone.
	const idle = await drawing({ dueAt: null });
	expect(await table.makeDueUnfinished(idle, NOW)).toBe(false);
	expect(await dueOf(idle)).toBeUndefined();
	expect(await table.makeDueUnfinished(generating, later(5))).toBe(true);
	expect(await dueOf(generating)).toBe(later(5).getTime());

	expect(await table.makeDue(ready, NOW)).toBe(true);
	expect(await dueOf(ready)).toBe(NOW.getTime());
	expect(await table.makeDue('00000000-0000-4000-8000-000000000000', NOW)).toBe(false);
});

test('renewing moves the lease end; releasing by a prefix matches only owners starting with it', async () => {
	const { table, make } = await isolated();
	const id = await make({ dueAt: null, leaseOwner: 'host:7:aa/1', leaseUntil: later(1000) });
	const other = await make({ dueAt: null, leaseOwner: 'xhost:7:aa/1', leaseUntil: later(1000) });
	expect(await table.renew(id, 'host:7:aa/1', later(5000))).toBe(true);
	expect((await database.db.drawing.findUniqueOrThrow({ where: { id } })).leaseUntil?.getTime()).toBe(later(5000).getTime());
	expect(await table.releaseOwnedBy('host:7:aa/')).toBe(1);
	const row = await database.db.drawing.findUniqueOrThrow({ where: { id } });
	expect([row.leaseOwner, row.leaseUntil]).toEqual([null, null]);
	expect((await database.db.drawing.findUniqueOrThrow({ where: { id: other } })).leaseOwner).toBe('xhost:7:aa/1');
	expect(await table.releaseOwnedBy('nobody/')).toBe(0);
});

test('claimRows leases like claim in one statement and returns the rows as leased; of two racing, each row goes to exactly one', async () => {
	const { table, make } = await isolated();
	const ids = await Promise.all(Array.from({ length: 6 }, () => make({ dueAt: later(-1000) })));
	const held = await make({ dueAt: later(-1000), leaseOwner: 'other/9', leaseUntil: later(60_000) });
	const [a, b] = await Promise.all([
		table.claimRows?.([...ids, held], NOW, 'rows/a', later(30_000)),
		table.claimRows?.([...ids, held], NOW, 'rows/b', later(30_000)),
	]);
	const got = [...(a ?? []), ...(b ?? [])];
	expect(got.map((row) => row.id).sort()).toEqual([...ids].sort());
	expect(new Set(got.map((row) => row.id)).size).toBe(ids.length);
	// Each row comes back as its claim wrote it.
	for (const row of a ?? []) expect([row.leaseOwner, row.leaseUntil?.getTime(), row.panelId]).toEqual(['rows/a', later(30_000).getTime(), panelId]);
	for (const row of b ?? []) expect(row.leaseOwner).toBe('rows/b');
	expect((await database.db.drawing.findUniqueOrThrow({ where: { id: held } })).leaseOwner).toBe('other/9');
});

test('storeRow stores like store and returns the row as stored; without the lease it writes nothing and returns nothing', async () => {
	const { table, make } = await isolated();
	const id = await make({ dueAt: later(-1000), leaseOwner: 'holder/2', leaseUntil: later(30_000) });
	expect(await table.storeRow?.(id, 'thief/2', { failureReason: 'stolen' }, { dueAt: null, errorCount: 0, leaseUntil: null })).toBeUndefined();
	expect((await database.db.drawing.findUniqueOrThrow({ where: { id } })).failureReason).toBeNull();
	const kept = await table.storeRow?.(id, 'holder/2', { checks: 3 }, { dueAt: later(5_000), errorCount: { increment: 1 }, leaseUntil: later(60_000) });
	expect([kept?.checks, kept?.errorCount, kept?.dueAt?.getTime(), kept?.leaseOwner, kept?.leaseUntil?.getTime()]).toEqual([
		3,
		1,
		later(5_000).getTime(),
		'holder/2',
		later(60_000).getTime(),
	]);
	expect(kept).toEqual(await database.db.drawing.findUniqueOrThrow({ where: { id } }));
	const last = await table.storeRow?.(id, 'holder/2', { failureReason: 'done' }, { dueAt: null, errorCount: 0, leaseUntil: null });
	expect([last?.failureReason, last?.leaseOwner, last?.leaseUntil, last?.dueAt]).toEqual(['done', null, null, null]);
});

test('renewMany extends in one statement the leases each owner still holds, and names them', async () => {
	const { table, make } = await isolated();
	const a = await make({ dueAt: null, leaseOwner: 'keep/1', leaseUntil: later(1_000) });
	const b = await make({ dueAt: null, leaseOwner: 'keep/2', leaseUntil: later(1_000) });
	const taken = await make({ dueAt: null, leaseOwner: 'someone/else', leaseUntil: later(1_000) });
	const kept = await table.renewMany?.(
		[
			{ id: a, owner: 'keep/1' },
			{ id: b, owner: 'keep/2' },
			{ id: taken, owner: 'keep/1' },
		],
		later(9_000),
	);
	expect([...(kept ?? [])].sort()).toEqual([a, b].sort());
	const rows = await database.db.drawing.findMany({ where: { id: { in: [a, b, taken] } }, select: { id: true, leaseUntil: true } });
	const until = new Map(rows.map((row) => [row.id, row.leaseUntil?.getTime()]));
	expect([until.get(a), until.get(b), until.get(taken)]).toEqual([later(9_000).getTime(), later(9_000).getTime(), later(1_000).getTime()]);
});

test('dueAndNext lists free due rows longest due first, at most the limit, and tells when the next free row is due', async () => {
	const { table, make } = await isolated();
	const second = await make({ dueAt: later(-2000) });
	const first = await make({ dueAt: later(-5000) });
	await make({ dueAt: later(-9000), leaseOwner: 'other/3', leaseUntil: later(60_000) });
	await make({ dueAt: later(7_000) });
	await make({ dueAt: later(3_000), leaseOwner: 'other/4', leaseUntil: later(60_000) });
	expect(await table.dueAndNext?.(NOW, 100)).toEqual({ ids: [first, second], next: later(7_000) });
	expect((await table.dueAndNext?.(NOW, 1))?.ids).toEqual([first]);
	await database.db.drawing.updateMany({ where: { dueAt: later(7_000) }, data: { dueAt: null } });
	expect(await table.dueAndNext?.(NOW, 100)).toEqual({ ids: [first, second], next: undefined });
});

test('the oldest due free row is found whatever order the rows were written in', async () => {
	const { table, make } = await isolated();
	await make({ dueAt: later(-2000) });
	await make({ dueAt: later(-6000) });
	await make({ dueAt: later(-4000) });
	expect((await table.oldestDue(NOW))?.getTime()).toBe(later(-6000).getTime());
	expect((await table.earliestDue(NOW))?.getTime()).toBe(later(-6000).getTime());
});

test('a cancel never makes due a drawing that is done drawing, even one still due for its delivery', async () => {
	const { table } = await isolated();
	for (const status of ['ready', 'failed'] as const) {
		const done = await drawing({ dueAt: later(60_000) });
		await database.db.drawing.update({ where: { id: done }, data: { status } });
		expect(await table.makeDueUnfinished(done, NOW)).toBe(false);
		expect((await database.db.drawing.findUniqueOrThrow({ where: { id: done } })).dueAt?.getTime()).toBe(later(60_000).getTime());
	}
});
