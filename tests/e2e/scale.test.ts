// Issue 5: three pollers, as three bot processes would run them (each its own database client and
// REST client, the real startPoller with its timer), on one database — PostgreSQL when the suite
// runs with TEST_DATABASE_URL — draw 300 panels that finish at random times.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { JobRunner } from '../../src/jobs/runner.ts';
import { pngWithText } from '../fakes/orchestrator.ts';
import { pollOnce, startPoller, startPollerWorld, type PollerWorld } from '../pollerWorld.ts';

const PANELS = 300;
const POLL_INTERVAL_SECONDS = 1;

let world: PollerWorld;
const pollers: JobRunner[] = [];
beforeAll(async () => {
	world = await startPollerWorld();
});
afterAll(async () => {
	await Promise.all(pollers.map((poller) => poller.stop()));
	await world?.close();
});

test('three processes on one database deliver 300 panels finishing at random times, each exactly once, without waiting on each other', async () => {
	const { db, discord, orchestrator } = world;
	// Completions spread over 30 s (10 a second): what is measured is the pollers' contention, not how
	// fast one test process can download and upload 300 pictures at once beside the fakes.
	orchestrator.behaviour = () => ({ durationMs: 1_000 + Math.random() * 29_000, outcome: 'succeeded' });
	const panels = [];
	for (let start = 0; start < PANELS; start += 50)
		panels.push(...(await Promise.all(Array.from({ length: Math.min(50, PANELS - start) }, () => world.seedPanel()))));
	const ids = panels.map((panel) => panel.id);

	for (const owner of ['process-a', 'process-b', 'process-c'])
		pollers.push(startPoller(await world.process(), { owner, intervalSeconds: POLL_INTERVAL_SECONDS }));
	const deadline = Date.now() + 90_000;
	while (Date.now() < deadline && (await db.drawing.count({ where: { id: { in: ids }, delivery: 'delivered' } })) < PANELS) await sleep(200);

	expect(await db.drawing.count({ where: { id: { in: ids }, delivery: 'delivered' } })).toBe(PANELS);
	expect(orchestrator.workflows.size).toBe(PANELS);

	const rows = await db.drawing.findMany({ where: { id: { in: ids } }, select: { id: true, messageId: true, workflowId: true } });
	const delays: number[] = [];
	for (const row of rows) {
		// Exactly one write carrying the picture per panel message: delivered once, never twice.
		const finals = discord.requests.filter(
			(request) => request.method === 'PATCH' && request.path.endsWith(`/messages/${row.messageId}`) && request.files.length > 0 && request.status < 300,
		);
		expect(finals).toHaveLength(1);
		const completedAt = row.workflowId ? orchestrator.completedAt(row.workflowId) : undefined;
		if (completedAt !== undefined && finals[0]) delays.push(finals[0].at - completedAt);
	}
	delays.sort((a, b) => a - b);
	// The schedule reads a workflow at most 1 s after the orchestrator's estimate; contention may add
	// at most one poll interval on top. The rest is the delivery's own work (read, download, store,
	// edit) for hundreds of panels on a shared 2-core CI machine, where this file runs beside others:
	// 3 s of slack. A poller that waited on the others' claims would take many intervals.
	const summary = `completion → picture: p50 ${delays[Math.floor(delays.length / 2)]} ms, max ${delays.at(-1)} ms`;
	console.info(summary);
	// The median, not the slowest: one panel held up by a busy machine is not a poller waiting on the others.
	expect(delays[Math.floor(delays.length / 2)], summary).toBeLessThanOrEqual(1_000 + POLL_INTERVAL_SECONDS * 1000 + 3_000);
	expect(delays).toHaveLength(PANELS);
}, 120_000);

test('a panel delivered by a process on another host than the one that downloaded it fetches its picture again', async () => {
	const { db, discord, orchestrator } = world;
	orchestrator.behaviour = () => ({ durationMs: 300, outcome: 'succeeded' });
	const panel = await world.seedPanel();
	const here = await world.process();
	const elsewhere = await world.process({ dataDir: mkdtempSync(join(tmpdir(), 'comic-other-host-')) });
	const until = async (deps: typeof here, done: () => Promise<boolean>) => {
		const deadline = Date.now() + 20_000;
		while (Date.now() < deadline && !(await done())) {
			await pollOnce(deps, { owner: 'here-or-there' });
			await sleep(100);
		}
	};
	await until(here, async () => (await db.drawing.findUniqueOrThrow({ where: { id: panel.id } })).status === 'generating');
	// The first delivery fails (Discord answers 500 to every try of the REST client), on this host.
	discord.failNext({ method: 'PATCH', path: new RegExp(`/messages/${panel.messageId}$`) }, { status: 500, times: 4 });
	await until(here, async () => (await db.drawing.findUniqueOrThrow({ where: { id: panel.id } })).errorCount > 0);
	const failed = await db.drawing.findUniqueOrThrow({ where: { id: panel.id } });
	expect(failed).toMatchObject({ status: 'ready', delivery: 'pending' });

	// Another host, with a DATA_DIR of its own, takes the delivery over.
	await db.drawing.update({ where: { id: panel.id }, data: { dueAt: new Date() } });
	orchestrator.expireImageUrls();
	await until(elsewhere, async () => (await db.drawing.findUniqueOrThrow({ where: { id: panel.id } })).delivery === 'delivered');
	const delivered = world.discord.messages.get(panel.messageId ?? '');
	expect(delivered?.attachments[0]?.data.equals(pngWithText(`workflow ${failed.workflowId}`))).toBe(true);
});
