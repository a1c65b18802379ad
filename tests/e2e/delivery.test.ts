// How a finished panel reaches Discord when the interaction token dies, Discord rate-limits or
// fails, the message was deleted, or the bot lost its permissions: the real bot against the fakes.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Drawing } from '../../src/db/database.ts';
import { nonceFor } from '../../src/discord/messenger.ts';
import { finalDeliveries, webhookCalls } from '../deliveries.ts';
import { modelVersion } from '../fakes/civitai.ts';
import type { SentInteraction } from '../fakes/discord.ts';
import { startWorld, type World } from '../world.ts';

let world: World;
const USER_ID = '100000000000000001';

beforeAll(async () => {
	// Progress edits off: these tests count every call made with a panel's token after it died.
	world = await startWorld({ MAX_PANELS_IN_FLIGHT_PER_USER: '20', PANEL_PROGRESS: 'off' });
	// `[hold]` runs until the test completes it; `[ms:N]` takes N ms.
	world.orchestrator.behaviour = (body) => {
		const text = JSON.stringify(body);
		const ms = /\[ms:(\d+)\]/.exec(text)?.[1];
		return { durationMs: text.includes('[hold]') ? Number.POSITIVE_INFINITY : Number(ms ?? 300) };
	};
	world.civitai.addModelVersion(modelVersion({ id: 810001, modelId: 810000, baseModel: 'SDXL 1.0', model: { name: 'Ivy' } }));
	await world.command({ group: 'project', subcommand: 'create', options: { name: 'Deliveries' } });
	const added = await world.command({ group: 'character', subcommand: 'add', options: { project: 'Deliveries', model: '810001' } });
	await world.waitForOriginal(added.id, (message) => message.content.includes('Added'));
});
afterAll(async () => {
	await world?.close();
});

const db = () => world.bot.database.db;

async function drawn(prompt: string, channelId?: string): Promise<SentInteraction> {
	const sent = world.discord.sendCommand({
		subcommand: 'panel',
		options: { project: 'Deliveries', prompt, enhance: false },
		...(channelId ? { channelId } : {}),
	});
	await world.waitForOriginal(sent.id, (message) => message.history.some((body) => JSON.stringify(body).includes('Being drawn')));
	return sent;
}

async function panelOf(sent: SentInteraction): Promise<Drawing> {
	return db().drawing.findFirstOrThrow({ where: { interactionId: sent.id } });
}

/** Ends the panel's held workflow and makes the panel due now. */
async function finish(sent: SentInteraction): Promise<void> {
	const panel = await panelOf(sent);
	world.orchestrator.complete(panel.workflowId ?? '');
	await db().drawing.updateMany({ where: { id: panel.id, leaseOwner: null }, data: { dueAt: new Date() } });
}

/** The panel once its delivery is decided (delivered or undelivered), or as it is after 15 s. */
async function settled(sent: SentInteraction): Promise<Drawing> {
	const deadline = Date.now() + 15_000;
	for (;;) {
		const panel = await db().drawing.findFirst({ where: { interactionId: sent.id } });
		if (panel && (panel.delivery !== 'pending' || Date.now() > deadline)) return panel;
		if (!panel && Date.now() > deadline) throw new Error(`no panel for interaction ${sent.id}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

const since = (at: number, path: (request: { path: string }) => boolean) => world.discord.requests.filter((request) => request.at >= at && path(request));
const channelMessage = (panel: Drawing) => (request: { path: string }) => request.path === `/channels/${panel.channelId}/messages/${panel.messageId}`;

test('a token that died before the picture came is called once; the same message is then edited with the bot token', async () => {
	const sent = await drawn('a cat on a roof [hold]');
	world.discord.expireToken(sent.token);
	// Counted, not timed: a call answered just before the token died can carry the same millisecond.
	const callsBefore = webhookCalls(world.discord, sent.token).length;
	const expiredAt = Date.now();
	await finish(sent);
	const panel = await settled(sent);

	expect([panel.delivery, panel.tokenDead]).toEqual(['delivered', true]);
	expect(
		webhookCalls(world.discord, sent.token)
			.slice(callsBefore)
			.map((call) => [call.method, call.status]),
	).toEqual([['PATCH', 401]]);
	expect(since(expiredAt, channelMessage(panel)).map((request) => [request.method, request.status])).toEqual([['PATCH', 200]]);
	expect(finalDeliveries(world.discord, panel)).toBe(1);
	expect(world.discord.originalMessage(sent.id)?.attachments).toHaveLength(1);
});

test('a token that runs out on its own (a short TTL) is handled the same way', async () => {
	world.discord.tokenTtlMs = 1_500;
	const sent = world.discord.sendCommand({ subcommand: 'panel', options: { project: 'Deliveries', prompt: 'a dog in a boat [ms:2500]', enhance: false } });
	world.discord.tokenTtlMs = 15 * 60_000;
	const panel = await settled(sent);

	expect([panel.delivery, panel.tokenDead]).toEqual(['delivered', true]);
	const calls = webhookCalls(world.discord, sent.token);
	expect(calls.filter((call) => call.status === 401)).toHaveLength(1);
	expect(calls.at(-1)?.status).toBe(401);
	expect(finalDeliveries(world.discord, panel)).toBe(1);
});

test('an interaction older than 14 minutes is never called: the bot token edits its message', async () => {
	const sent = await drawn('an owl at midnight [hold]');
	const movedAt = Date.now();
	await db().drawing.updateMany({ where: { interactionId: sent.id }, data: { interactionCreatedAt: new Date(movedAt - 15 * 60_000) } });
	// Counted from here, not timed: a call answered just before can carry the same millisecond.
	const callsBefore = webhookCalls(world.discord, sent.token).length;
	await finish(sent);
	const panel = await settled(sent);

	expect([panel.delivery, panel.tokenDead]).toEqual(['delivered', true]);
	expect(webhookCalls(world.discord, sent.token).slice(callsBefore)).toEqual([]);
	expect(since(movedAt, channelMessage(panel)).map((request) => [request.method, request.status])).toEqual([['PATCH', 200]]);
	expect(finalDeliveries(world.discord, panel)).toBe(1);
});

test('a 429 with Retry-After is waited out before the one retry', async () => {
	const sent = await drawn('a fox in the snow [hold]');
	world.discord.failNext({ method: 'PATCH', path: new RegExp(`/${sent.token}/`) }, { status: 429, retryAfter: 1 });
	const startedAt = Date.now();
	await finish(sent);
	const panel = await settled(sent);

	expect(panel.delivery).toBe('delivered');
	const calls = webhookCalls(world.discord, sent.token).filter((call) => call.at >= startedAt);
	expect(calls.map((call) => call.status)).toEqual([429, 200]);
	expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
	expect(world.logs.some((line) => line.includes('Discord rate limit'))).toBe(true);
	expect(finalDeliveries(world.discord, panel)).toBe(1);
});

test("a 5xx that outlasts the REST client's retries is tried again after a backoff, and lands once", async () => {
	const sent = await drawn('a whale in the sky [hold]');
	world.discord.failNext({ method: 'PATCH', path: new RegExp(`/${sent.token}/`) }, { status: 500, times: 4 });
	const startedAt = Date.now();
	await finish(sent);
	const panel = await settled(sent);

	expect(panel.delivery).toBe('delivered');
	const calls = webhookCalls(world.discord, sent.token).filter((call) => call.at >= startedAt);
	expect(calls.map((call) => [call.method, call.status])).toEqual([
		['PATCH', 500],
		['PATCH', 500],
		['PATCH', 500],
		['PATCH', 500],
		['GET', 200],
		['PATCH', 200],
	]);
	expect((calls[4]?.at ?? 0) - (calls[3]?.at ?? 0)).toBeGreaterThanOrEqual(450);
	expect(finalDeliveries(world.discord, panel)).toBe(1);
});

test('a deleted message is answered with one new message that names the user without pinging anyone', async () => {
	const sent = await drawn('a ship in a bottle [hold]');
	const original = world.discord.originalMessage(sent.id);
	if (!original) throw new Error('no original message');
	world.discord.deleteMessage(original.id);
	await finish(sent);
	const panel = await settled(sent);

	expect(panel.delivery).toBe('delivered');
	const posted = [...world.discord.messages.values()].filter((message) => message.nonce === nonceFor(panel.id));
	expect(posted).toHaveLength(1);
	expect(posted[0]?.content).toContain(`<@${USER_ID}>`);
	expect(posted[0]?.allowed_mentions).toEqual({ parse: [] });
	expect(posted[0]?.attachments).toHaveLength(1);
	expect(panel.messageId).toBe(posted[0]?.id);
	expect(finalDeliveries(world.discord, panel)).toBe(1);
});

test('missing access and missing permissions are recorded as undelivered, without a retry loop', async () => {
	const channelId = '300000000000000777';
	const sent = await drawn('a moth near a lamp [hold]', channelId);
	const movedAt = Date.now();
	await db().drawing.updateMany({ where: { interactionId: sent.id }, data: { interactionCreatedAt: new Date(movedAt - 15 * 60_000) } });
	world.discord.failNext({ method: 'PATCH', path: new RegExp(`^/channels/${channelId}/messages/`) }, { status: 403, code: 50001, message: 'Missing Access' });
	world.discord.failNext(
		{ method: 'POST', path: new RegExp(`^/channels/${channelId}/messages$`) },
		{ status: 403, code: 50013, message: 'Missing Permissions' },
	);
	await finish(sent);
	const panel = await settled(sent);

	expect(panel.delivery).toBe('undelivered');
	expect(panel.deliveryError).toContain('50013');
	await new Promise((resolve) => setTimeout(resolve, 2_500));
	const calls = since(movedAt, (request) => request.path.startsWith(`/channels/${channelId}/`));
	expect(calls.map((request) => [request.method, request.status])).toEqual([
		['PATCH', 403],
		['POST', 403],
	]);
	expect((await panelOf(sent)).delivery).toBe('undelivered');
});
