// Several pollers (as several bot processes would run them) on one database: each panel is handled
// by one of them at a time, and a crashed poller's panels are taken over once its lease runs out.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { claimDue, pollOnce, startPollerWorld, type PollerWorld, type TestProcess } from '../pollerWorld.ts';

let world: PollerWorld;
beforeAll(async () => {
	world = await startPollerWorld();
});
afterAll(async () => {
	await world?.close();
});

/** Polls in a loop, like a ticking poller, until `done`; returns how many panels it claimed. */
async function pollUntil(deps: TestProcess, owner: string, done: () => boolean): Promise<number> {
	let claimed = 0;
	while (!done()) {
		claimed += (await pollOnce(deps, { owner, batchSize: 7 })).claimed;
		await sleep(20);
	}
	return claimed;
}

function historyOf(messageId: string | null): unknown[] {
	return (messageId === null ? undefined : world.discord.messages.get(messageId))?.history ?? [];
}

test('two processes with overlapping ticks race over 30 panels on one database: each panel is submitted, shown and delivered once', async () => {
	const { db, orchestrator } = world;
	const panels = await Promise.all(Array.from({ length: 30 }, () => world.seedPanel()));
	const ids = panels.map((panel) => panel.id);
	const [a, b] = await Promise.all([world.process(), world.process()]);
	if (!a || !b) throw new Error('no deps');
	const loops = (deps: TestProcess, owner: string) => Array.from({ length: 4 }, () => pollUntil(deps, owner, () => finished));

	let finished = false;
	const watcher = (async () => {
		const deadline = Date.now() + 30_000;
		while (Date.now() < deadline && (await db.drawing.count({ where: { id: { in: ids }, delivery: 'delivered' } })) < ids.length) await sleep(50);
		finished = true;
	})();
	// Four loops per process: ticks of one process overlap as well.
	const [byA, byB] = await Promise.all([Promise.all(loops(a, 'process-a')), Promise.all(loops(b, 'process-b'))]);
	await watcher;

	expect(await db.drawing.count({ where: { id: { in: ids }, delivery: 'delivered' } })).toBe(ids.length);
	// Both processes did part of the work.
	expect(byA.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
	expect(byB.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
	for (const panel of panels) {
		// One submission, never repeated (a repeat would show as a second POST with the same externalId).
		expect(orchestrator.submissions.filter((submission) => JSON.stringify(submission.body).includes(panel.id))).toHaveLength(1);
		const bodies = historyOf(panel.messageId)
			.slice(1)
			.map((body) => JSON.stringify(body));
		expect(bodies.filter((body) => body.includes('Being drawn'))).toHaveLength(1);
		expect(bodies.filter((body) => body.includes('attachment://'))).toHaveLength(1);
	}
	expect(orchestrator.workflows.size).toBe(ids.length);
});

test('claims made at the same moment by two processes never share a panel', async () => {
	const panels = await Promise.all(Array.from({ length: 30 }, () => world.seedPanel({ status: 'failed', failureReason: 'seeded', delivery: 'delivered' })));
	const [a, b] = await Promise.all([world.process(), world.process()]);
	if (!a || !b) throw new Error('no deps');
	const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => claimDue(i % 2 === 0 ? a : b, `process-${i % 2}`, 5)));
	const claimed = claims.flatMap((claim) => claim.ids).filter((id) => panels.some((panel) => panel.id === id));
	expect(new Set(claimed).size).toBe(claimed.length);
	expect(claimed.length).toBeGreaterThan(0);
	// Nothing else to do for these panels: release them for the next test.
	await world.db.drawing.updateMany({ where: { id: { in: panels.map((panel) => panel.id) } }, data: { leaseOwner: null, leaseUntil: null, dueAt: null } });
});

test('a panel leased by a crashed process is left alone until the lease runs out, then taken over and delivered', async () => {
	const { db } = world;
	const crashedLease = { leaseOwner: 'crashed-host:123:abc/claim', leaseUntil: new Date(Date.now() + 1_000) };
	const panel = await world.seedPanel({ ...crashedLease, status: 'ready' });
	await world.seedImage(panel.id);
	const deps = await world.process();

	expect((await pollOnce(deps, { owner: 'survivor' })).claimed).toBe(0);
	await sleep(1_100);
	expect((await pollOnce(deps, { owner: 'survivor' })).claimed).toBe(1);

	const after = await db.drawing.findUniqueOrThrow({ where: { id: panel.id } });
	expect(after.delivery).toBe('delivered');
	expect(after.leaseOwner).toBeNull();
	expect(historyOf(panel.messageId).filter((body) => JSON.stringify(body).includes('attachment://'))).toHaveLength(1);
});

test('the lease is renewed while a slow step runs, so nobody takes the panel over from a live process', async () => {
	const { db, discord } = world;
	const panel = await world.seedPanel({ status: 'ready' });
	await world.seedImage(panel.id);
	// A one-second lease and a Discord edit that takes three.
	discord.stallNext({ method: 'PATCH', path: new RegExp(`/messages/${panel.messageId}$`) }, 3_000);
	const [slow, other] = await Promise.all([world.process({ leaseMs: 1_000 }), world.process({ leaseMs: 1_000 })]);
	if (!slow || !other) throw new Error('no deps');

	const working = pollOnce(slow, { owner: 'slow' });
	let stolen = 0;
	for (let i = 0; i < 10; i++) {
		await sleep(250);
		stolen += (await pollOnce(other, { owner: 'other' })).claimed;
	}
	expect((await working).claimed).toBe(1);
	expect(stolen).toBe(0);
	expect((await db.drawing.findUniqueOrThrow({ where: { id: panel.id } })).delivery).toBe('delivered');
	expect(historyOf(panel.messageId).filter((body) => JSON.stringify(body).includes('attachment://'))).toHaveLength(1);
});
