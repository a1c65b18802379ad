import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { modelVersion } from '../fakes/civitai.ts';
import { startWorld, type World } from '../world.ts';

/** PUBLIC_URL must name the port before the bot starts: take a free one from the system. */
async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	if (address === null || typeof address === 'string') throw new Error('no TCP port');
	return address.port;
}

let world: World;
let publicUrl: string;
beforeAll(async () => {
	const port = await freePort();
	publicUrl = `http://127.0.0.1:${port}`;
	world = await startWorld({ PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: publicUrl, MAX_PANELS_IN_FLIGHT_PER_USER: '10' });
	world.civitai.addModelVersion(modelVersion({ id: 789012, modelId: 123456, baseModel: 'SDXL 1.0', trainedWords: ['mychar'], model: { name: 'Mira' } }));
	await world.command({ group: 'project', subcommand: 'create', options: { name: 'Callbacks' } });
	const added = await world.command({ group: 'character', subcommand: 'add', options: { project: 'Callbacks', model: '789012' } });
	await world.waitForOriginal(added.id, (message) => message.content.includes('Added'));
});
afterAll(async () => {
	await world?.close();
});

/** Draws a panel whose workflow takes `durationMs` (Infinity: until the test ends it), and waits for its submission. */
async function drawPanel(prompt: string, durationMs: number) {
	const { discord, orchestrator } = world;
	const before = orchestrator.workflows.size;
	orchestrator.behaviour = () => ({ durationMs });
	const sent = discord.sendCommand({ subcommand: 'panel', options: { project: 'Callbacks', prompt, enhance: false } });
	await discord.waitFor(() => orchestrator.workflows.size > before || undefined);
	const workflow = [...orchestrator.workflows.values()].at(-1);
	const callback: unknown = Array.isArray(workflow?.body.callbacks) ? workflow.body.callbacks[0] : undefined;
	const url = typeof callback === 'object' && callback !== null && 'url' in callback && typeof callback.url === 'string' ? callback.url : '';
	// The callback names the panel's drawing (the orchestrator's externalId is the drawing id as well).
	const drawing = await world.bot.database.db.drawing.findFirstOrThrow({ where: { panel: { prompt } } });
	return { sent, workflowId: workflow?.id ?? '', url, drawingId: drawing.id, callback };
}

/** Waits for the picture; without a callback the safety net would take 15 s, longer than this waits. */
function delivered(panel: { sent: { id: string } }) {
	return world.waitForOriginal(panel.sent.id, (message) => message.attachments.length === 1, 10_000);
}

function postCallback(url: string, body: unknown): Promise<Response> {
	return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

const ended = (workflowId: string, at = Date.now()) => ({ $type: 'workflow', workflowId, status: 'succeeded', timestamp: new Date(at).toISOString() });

test('each workflow is submitted with its own signed callback URL for the terminal statuses', async () => {
	const first = await drawPanel('a cat looks at the moon', 300);
	const second = await drawPanel('a cat looks at the sun', 300);
	expect(first.url).toMatch(new RegExp(`^${publicUrl}/callbacks/orchestrator/${first.drawingId}\\?sig=[\\w-]{43}$`));
	expect(second.url).toMatch(new RegExp(`^${publicUrl}/callbacks/orchestrator/${second.drawingId}\\?sig=`));
	expect(new URL(first.url).searchParams.get('sig')).not.toBe(new URL(second.url).searchParams.get('sig'));
	expect(first.callback).toEqual({ url: first.url, type: ['workflow:succeeded', 'workflow:failed', 'workflow:expired', 'workflow:canceled'] });
	await delivered(second);
});

test('a callback delivers the picture after a single workflow read, without waiting for the safety-net poll', async () => {
	const { discord, orchestrator } = world;
	const panel = await drawPanel('a cat on a skateboard', 2_500);
	await delivered(panel);

	const delivery = discord.requests.find((request) => request.path.includes(panel.sent.token) && request.files.length > 0);
	expect(delivery).toBeDefined();
	expect(orchestrator.callbackDeliveries.filter((entry) => entry.url === panel.url).map((entry) => entry.status)).toEqual([200]);
	// The safety net would have waited 15 s for its first read; the callback's hint made it one read in all.
	expect(orchestrator.readsFor(panel.workflowId)).toBe(1);
});

test('a forged callback is refused with 401 and changes nothing', async () => {
	const { orchestrator, bot } = world;
	const target = await drawPanel('a cat that never finishes', Number.POSITIVE_INFINITY);
	const other = await drawPanel('another cat that never finishes', Number.POSITIVE_INFINITY);
	const before = await bot.database.db.drawing.findUniqueOrThrow({ where: { id: target.drawingId } });
	const path = `${publicUrl}/callbacks/orchestrator/${target.drawingId}`;
	const answers = await Promise.all([
		postCallback(path, ended(target.workflowId)),
		postCallback(`${path}?sig=AAAA`, ended(target.workflowId)),
		// A genuine signature, but for another panel.
		postCallback(`${path}?sig=${new URL(other.url).searchParams.get('sig')}`, ended(target.workflowId)),
	]);
	expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401]);
	const after = await bot.database.db.drawing.findUniqueOrThrow({ where: { id: target.drawingId } });
	expect(after.dueAt).toEqual(before.dueAt);
	expect(orchestrator.readsFor(target.workflowId)).toBe(0);

	// A properly signed URL with someone else's workflow in the body is refused too.
	expect((await postCallback(target.url, ended(other.workflowId))).status).toBe(409);
	orchestrator.complete(target.workflowId, 'canceled');
	orchestrator.complete(other.workflowId, 'canceled');
});

test('a replayed callback is refused once its panel was handled, and an old one is refused outright', async () => {
	const { orchestrator } = world;
	const panel = await drawPanel('a cat with a hat', 300);
	await delivered(panel);
	const original = orchestrator.callbackDeliveries.find((entry) => entry.url === panel.url);
	expect(original?.status).toBe(200);
	expect((await postCallback(panel.url, original?.payload)).status).toBe(409);

	const waiting = await drawPanel('a cat that waits', Number.POSITIVE_INFINITY);
	expect((await postCallback(waiting.url, ended(waiting.workflowId, Date.now() - 60 * 60_000))).status).toBe(400);
	expect((await postCallback(waiting.url, { $type: 'workflow', workflowId: waiting.workflowId })).status).toBe(400);
	expect(orchestrator.readsFor(waiting.workflowId)).toBe(0);
	orchestrator.complete(waiting.workflowId, 'canceled');
});

test('a callback that never comes is made up for by the slower safety-net polling', async () => {
	const { orchestrator } = world;
	const panel = await drawPanel('a cat whose callback is lost', 1_000);
	// As if the orchestrator's delivery failed for good: the fake sends callbacks from the stored request.
	const workflow = orchestrator.workflows.get(panel.workflowId);
	if (workflow) workflow.body.callbacks = [];
	const started = Date.now();
	await world.waitForOriginal(panel.sent.id, (message) => message.attachments.length === 1, 25_000);
	// The first safety-net read comes 15 s after submission (callbackSchedule), and finds it done.
	expect(Date.now() - started).toBeGreaterThan(12_000);
	expect(orchestrator.readsFor(panel.workflowId)).toBe(1);
	expect(orchestrator.callbackDeliveries.some((entry) => entry.url === panel.url)).toBe(false);
});
