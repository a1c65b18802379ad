// Two processes on one database (PostgreSQL when the suite runs with TEST_DATABASE_URL), each with a
// DATA_DIR of its own: a delivery taken over by the process that lacks the picture reads the workflow
// again, and when the orchestrator answers 429 it waits out the Retry-After before the next read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { pngWithText } from '../fakes/orchestrator.ts';
import { pollOnce, startPollerWorld, type PollerWorld } from '../pollerWorld.ts';

let world: PollerWorld;
const otherDataDir = mkdtempSync(join(tmpdir(), 'comic-other-host-'));
beforeAll(async () => {
	world = await startPollerWorld();
});
afterAll(async () => {
	await world?.close();
	rmSync(otherDataDir, { recursive: true, force: true });
});

test("a delivery on the host without the picture reads the workflow again and waits out the orchestrator's Retry-After", async () => {
	const { db, discord, orchestrator } = world;
	orchestrator.behaviour = () => ({ durationMs: 300, outcome: 'succeeded' });
	const panel = await world.seedPanel();
	const here = await world.process();
	const elsewhere = await world.process({ dataDir: otherDataDir });
	const row = () => db.drawing.findUniqueOrThrow({ where: { id: panel.id } });
	const until = async (deps: typeof here, done: () => Promise<boolean>) => {
		const deadline = Date.now() + 30_000;
		while (Date.now() < deadline && !(await done())) {
			await pollOnce(deps, { owner: 'here-or-there' });
			await sleep(100);
		}
	};
	await until(here, async () => (await row()).status === 'generating');
	// The first delivery fails on this host (Discord answers 500 to every try of the REST client).
	discord.failNext({ method: 'PATCH', path: new RegExp(`/messages/${panel.messageId}$`) }, { status: 500, times: 4 });
	await until(here, async () => (await row()).errorCount > 0);
	const failed = await row();
	expect(failed).toMatchObject({ status: 'ready', delivery: 'pending' });

	// The other host takes the delivery over; the orchestrator is busy when it reads the workflow.
	const workflowPath = new RegExp(`/v2/consumer/workflows/${failed.workflowId}$`);
	orchestrator.failNext({ method: 'GET', path: workflowPath }, { status: 429, headers: { 'retry-after': '3' }, body: { title: 'Too Many Requests' } });
	await db.drawing.update({ where: { id: panel.id }, data: { dueAt: new Date() } });
	await until(elsewhere, async () => (await row()).delivery === 'delivered');

	const delivered = discord.messages.get(panel.messageId ?? '');
	expect(delivered?.attachments[0]?.data.equals(pngWithText(`workflow ${failed.workflowId}`))).toBe(true);
	const reads = orchestrator.requests.filter((request) => request.method === 'GET' && workflowPath.test(request.path));
	expect(reads.map((request) => request.status).slice(-2)).toEqual([429, 200]);
	expect(orchestrator.earlyRequests.filter((early) => early.kind.startsWith('GET /v2/consumer/workflows/'))).toEqual([]);
});
