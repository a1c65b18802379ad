// Faults while polling, step by step on a clock the test moves: the orchestrator answering 429, 5xx,
// nothing, or nonsense when a workflow is read, and Discord failing deliveries. Each is counted per
// panel, waited out with backoff, and bounded.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { OFFLINE } from '../../src/comic/generation/failures.ts';
import type { Drawing } from '../../src/db/database.ts';
import { rejectLongRateLimits } from '../../src/discord/discordErrors.ts';
import { pollOnce, startPollerWorld, type PollerWorld, type TestProcess } from '../pollerWorld.ts';

let world: PollerWorld;
let clock = Date.now();
const now = () => clock;

beforeAll(async () => {
	world = await startPollerWorld();
	// Workflows run until the test completes them.
	world.orchestrator.behaviour = () => ({ durationMs: Number.POSITIVE_INFINITY });
});
afterAll(async () => {
	await world?.close();
});

/** Moves the clock to the panel's next check, polls once, and returns the row with the wait it chose. */
async function nextStep(deps: TestProcess, panelId: string): Promise<Drawing & { waitMs: number }> {
	const before = await world.db.drawing.findUniqueOrThrow({ where: { id: panelId } });
	clock = Math.max(clock, before.dueAt?.getTime() ?? clock) + 1;
	await pollOnce(deps, { owner: 'test' });
	const after = await world.db.drawing.findUniqueOrThrow({ where: { id: panelId } });
	return { ...after, waitMs: (after.dueAt?.getTime() ?? clock) - clock };
}

async function generatingPanel(deps: TestProcess): Promise<{ panel: Drawing; workflowPath: RegExp }> {
	const seeded = await world.seedPanel({ dueAt: new Date(clock) });
	const panel = await nextStep(deps, seeded.id);
	expect(panel.status).toBe('generating');
	return { panel, workflowPath: new RegExp(`^/v2/consumer/workflows/${panel.workflowId}$`) };
}

const readsOf = (path: RegExp) => world.orchestrator.requests.filter((request) => request.method === 'GET' && path.test(request.path)).length;

test('reading a workflow: 429, 5xx, a timeout and a malformed answer are each waited out longer, counted per panel, and a good read resets the count', async () => {
	const deps = await world.process({ now, orchestratorTimeoutMs: 300 });
	const { panel, workflowPath } = await generatingPanel(deps);
	const { orchestrator } = world;

	orchestrator.failNext({ method: 'GET', path: workflowPath }, { status: 429, headers: { 'retry-after': '7' } });
	const limited = await nextStep(deps, panel.id);
	expect([limited.status, limited.errorCount]).toEqual(['generating', 1]);
	expect(limited.waitMs).toBeGreaterThanOrEqual(7_000);

	orchestrator.failNext({ method: 'GET', path: workflowPath }, { status: 503 });
	const unavailable = await nextStep(deps, panel.id);
	expect(unavailable.errorCount).toBe(2);
	expect(unavailable.waitMs).toBeGreaterThanOrEqual(1_000);

	orchestrator.stallNext({ method: 'GET', path: workflowPath }, 1_000);
	const timedOut = await nextStep(deps, panel.id);
	expect(timedOut.errorCount).toBe(3);
	expect(timedOut.waitMs).toBeGreaterThanOrEqual(2_000);

	orchestrator.failNext({ method: 'GET', path: workflowPath }, { status: 200, body: { id: 42, steps: 'none' } });
	const malformed = await nextStep(deps, panel.id);
	expect(malformed.errorCount).toBe(4);
	expect(malformed.waitMs).toBeGreaterThanOrEqual(4_000);

	const recovered = await nextStep(deps, panel.id);
	expect([recovered.status, recovered.errorCount]).toEqual(['generating', 0]);

	orchestrator.complete(panel.workflowId ?? '');
	const done = await nextStep(deps, panel.id);
	expect([done.status, done.delivery]).toEqual(['ready', 'delivered']);
	// One read per poll: no hidden retry loop hammered the orchestrator.
	expect(readsOf(workflowPath)).toBe(6);
});

test('an orchestrator that stays unavailable fails the panel after the bound, and its message says so', async () => {
	const deps = await world.process({ now });
	const { panel, workflowPath } = await generatingPanel(deps);
	world.orchestrator.failNext({ method: 'GET', path: workflowPath }, { status: 503, times: 20 });

	let row = await nextStep(deps, panel.id);
	for (let polls = 1; polls < 10 && row.status === 'generating'; polls++) row = await nextStep(deps, panel.id);

	expect([row.status, row.failureReason, row.delivery]).toEqual(['failed', OFFLINE, 'delivered']);
	expect(readsOf(workflowPath)).toBe(6);
	const shown = world.discord.messages.get(panel.messageId ?? '')?.history.at(-1);
	expect(JSON.stringify(shown)).toContain(OFFLINE);
});

async function readyPanel(): Promise<Drawing> {
	const seeded = await world.seedPanel({ status: 'ready', dueAt: new Date(clock) });
	await world.seedImage(seeded.id);
	return world.db.drawing.findUniqueOrThrow({ where: { id: seeded.id } });
}

const editsOf = (panel: Drawing) => world.discord.requests.filter((request) => request.path === `/channels/${panel.channelId}/messages/${panel.messageId}`);
const picturesIn = (panel: Drawing) =>
	(world.discord.messages.get(panel.messageId ?? '')?.history ?? []).filter((body) => JSON.stringify(body).includes('attachment://')).length;

test("Discord 5xx past the REST client's own retries is retried with growing backoff, then recorded as undelivered", async () => {
	const deps = await world.process({ now });
	const panel = await readyPanel();
	world.discord.failNext({ method: 'PATCH', path: new RegExp(`/messages/${panel.messageId}$`) }, { status: 502, times: 24 });

	const waits: number[] = [];
	let row = await nextStep(deps, panel.id);
	for (let polls = 1; polls < 10 && row.delivery === 'pending'; polls++) {
		waits.push(row.waitMs);
		row = await nextStep(deps, panel.id);
	}
	expect(row.delivery).toBe('undelivered');
	expect(row.deliveryError).toContain('502');
	// 6 attempts of 4 requests each (the REST client retries 5xx 3 times); every later attempt looks first.
	const requests = editsOf(panel);
	expect(requests.filter((request) => request.method === 'PATCH')).toHaveLength(24);
	expect(requests.filter((request) => request.method === 'GET')).toHaveLength(5);
	expect(waits).toHaveLength(5);
	expect(waits[4]).toBeGreaterThan(waits[0] ?? 0);
});

test('an edit that timed out but landed is not written again: the next attempt reads the message first', async () => {
	const deps = await world.process({ now, rest: { timeout: 300, retries: 0 } });
	const panel = await readyPanel();
	world.discord.stallNext({ method: 'PATCH', path: new RegExp(`/messages/${panel.messageId}$`) }, 800);

	const timedOut = await nextStep(deps, panel.id);
	expect([timedOut.delivery, timedOut.errorCount]).toEqual(['pending', 1]);
	await world.discord.waitFor(() => picturesIn(panel) === 1);

	const done = await nextStep(deps, panel.id);
	expect(done.delivery).toBe('delivered');
	expect(editsOf(panel).map((request) => request.method)).toEqual(['PATCH', 'GET']);
	expect(picturesIn(panel)).toBe(1);
});

test('a long rate limit is not waited out in memory: the delivery is put off in the database after one request', async () => {
	const deps = await world.process({ now, rest: { rejectOnRateLimit: rejectLongRateLimits } });
	const panel = await readyPanel();
	world.discord.failNext({ method: 'PATCH', path: new RegExp(`/messages/${panel.messageId}$`) }, { status: 429, retryAfter: 45 });

	const limited = await nextStep(deps, panel.id);
	expect(limited.delivery).toBe('pending');
	expect(limited.waitMs).toBeGreaterThanOrEqual(45_000);
	expect(limited.deliveryError).toContain('RateLimitError');
	expect(editsOf(panel)).toHaveLength(1);
});
