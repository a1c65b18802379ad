// What reaches the log when Discord or the orchestrator refuses a call: what failed (the route,
// the status, the code), never an interaction token, a signature of a signed URL or a configured
// secret. The whole captured output is searched, whichever line or field would have carried them.
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Drawing as Panel } from '../../src/db/database.ts';
import { webhookCalls } from '../deliveries.ts';
import type { SentInteraction } from '../fakes/discord.ts';
import { startWorld, type World } from '../world.ts';
import { drawPanel, projectWithCharacter, waitForPanel, type Setup } from './support/panels.ts';

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	if (address === null || typeof address === 'string') throw new Error('no TCP port');
	return address.port;
}

let world: World;
let setup: Setup;
/** Every interaction token this file handed to the bot. */
const tokens: string[] = [];

beforeAll(async () => {
	const port = await freePort();
	// PUBLIC_URL: submissions then carry signed callback URLs, which must not be logged either.
	world = await startWorld({
		PORT: String(port),
		HOST: '127.0.0.1',
		PUBLIC_URL: `http://127.0.0.1:${port}`,
		ORCHESTRATOR_RETRY_BASE_MS: '100',
		MAX_PANELS_IN_FLIGHT_PER_USER: '20',
	});
	world.orchestrator.behaviour = (body) => ({ durationMs: JSON.stringify(body).includes('[hold]') ? Number.POSITIVE_INFINITY : 300 });
	setup = await projectWithCharacter(world);
});
afterAll(async () => {
	await world?.close();
});

const db = () => world.bot.database.db;
type Entry = Record<string, unknown> & { msg?: string; drawingId?: string; err?: Record<string, unknown> };
const entries = (): Entry[] => world.logs.map((line) => JSON.parse(line));
const entryOf = (msg: string, drawingId: string) => entries().find((entry) => entry.msg === msg && entry.drawingId === drawingId);

async function drawn(prompt: string, enhance = false): Promise<SentInteraction> {
	const sent = drawPanel(world, setup, prompt, { enhance });
	tokens.push(sent.token);
	await world.waitForOriginal(sent.id, (message) => message.history.some((body) => JSON.stringify(body).includes('Being drawn')));
	return sent;
}

/** Ends the panel's held workflow and makes the panel due now. */
async function finish(sent: SentInteraction): Promise<Panel> {
	const panel = await waitForPanel(world, sent.id, (row) => row.workflowId !== null && row.leaseOwner === null);
	world.orchestrator.complete(panel.workflowId ?? '');
	await db().drawing.updateMany({ where: { id: panel.id, leaseOwner: null }, data: { dueAt: new Date() } });
	return waitForPanel(world, sent.id, (row) => row.delivery !== 'pending', 20_000);
}

test('a webhook edit refused with 401/50027 is logged with its route, status and code, and not with the token', async () => {
	const sent = await drawn('a heron in the rain [hold]');
	world.discord.failNext({ method: 'PATCH', path: new RegExp(`/${sent.token}/`) }, { status: 401, code: 50027, message: 'Invalid Webhook Token' });
	const panel = await finish(sent);

	expect([panel.delivery, panel.tokenDead]).toEqual(['delivered', true]);
	expect(webhookCalls(world.discord, sent.token).some((call) => call.status === 401)).toBe(true);
	const entry = entryOf('interaction token unusable; using the bot token from now on', panel.id);
	expect(entry?.err).toMatchObject({
		type: 'DiscordAPIError',
		status: 401,
		code: 50027,
		method: 'PATCH',
		message: 'Invalid Webhook Token',
		url: `${world.config.DISCORD_API_URL}/v10/webhooks/${world.discord.applicationId}/:token/messages/@original`,
	});
	// The picture that was to be uploaded is not dumped into the log either.
	expect(JSON.stringify(entry?.err)).toMatch(/"data":"\[\d+ bytes\]"/);
	expect(world.logs.join('')).not.toContain(sent.token);
});

test('a 500 on the webhook route that outlasts the REST retries is logged by status, and the retry lands', async () => {
	const sent = await drawn('a whale in the sky [hold]');
	world.discord.failNext({ method: 'PATCH', path: new RegExp(`/${sent.token}/`) }, { status: 500, times: 4 });
	const panel = await finish(sent);

	expect(panel.delivery).toBe('delivered');
	expect(entryOf('panel delivery failed', panel.id)).toMatchObject({ retryable: true, reason: expect.stringContaining('500') });
	expect(world.logs.join('')).not.toContain(sent.token);
});

test('orchestrator failures (a 500 submission, a failed image download, a refused prompt rewrite) are logged without signatures or keys', async () => {
	world.orchestrator.failNext({ method: 'POST', path: /^\/v2\/consumer\/workflows$/ }, { status: 500 });
	world.orchestrator.failNext({ method: 'GET', path: /^\/blobs\// }, { status: 500 });
	world.openai.failNext({ method: 'POST', path: /chat\/completions/ }, { status: 401 });
	const sent = drawPanel(world, setup, 'a lantern on a pier', { enhance: true });
	tokens.push(sent.token);
	const panel = await waitForPanel(world, sent.id, (row) => row.status === 'ready' && row.delivery === 'delivered', 20_000);

	expect(entryOf('submission failed', panel.id)).toMatchObject({ status: 500, err: { status: 500, method: 'POST' } });
	const download = entryOf('image download failed', panel.id);
	expect(download).toMatchObject({
		status: 500,
		err: { type: 'HttpError', status: 500, url: expect.stringMatching(/\/blobs\/[^?]+\?sig=\[redacted\]&exp=\d+$/) },
	});
	const signatures = world.orchestrator.requests.filter((request) => request.path.startsWith('/blobs/')).map((request) => request.query.get('sig') ?? '');
	expect(signatures.length).toBeGreaterThanOrEqual(2);
	const text = world.logs.join('');
	for (const signature of signatures) expect(text).not.toContain(signature);
	expect(entries().some((entry) => entry.msg === 'prompt rewrite skipped')).toBe(true);
});

test('a configured secret that slips into an error is scrubbed by the bot’s logger', () => {
	const { DISCORD_TOKEN, CIVITAI_API_TOKEN, OPENAI_API_KEY } = world.config;
	world.bot.log.error({ err: new Error(`login failed for ${DISCORD_TOKEN} (${CIVITAI_API_TOKEN}, ${OPENAI_API_KEY})`) }, `secrets ${DISCORD_TOKEN}`);
	const last = entries().at(-1);
	expect(last).toMatchObject({ msg: 'secrets [redacted]', err: { message: 'login failed for [redacted] ([redacted], [redacted])' } });
});

test('the whole log holds no interaction token, no configured secret and no callback signature, yet says what failed', () => {
	const text = world.logs.join('');
	expect(tokens.length).toBeGreaterThanOrEqual(3);
	for (const token of tokens) expect(text).not.toContain(token);
	const { DISCORD_TOKEN, CIVITAI_API_TOKEN, OPENAI_API_KEY } = world.config;
	for (const secret of [DISCORD_TOKEN, CIVITAI_API_TOKEN, OPENAI_API_KEY]) expect(text).not.toContain(secret);
	const callbackSignatures = world.orchestrator.submissions
		.flatMap((submission) => JSON.stringify(submission.body).match(/sig=[\w-]+/g) ?? [])
		.map((sig) => sig.slice('sig='.length));
	expect(callbackSignatures.length).toBeGreaterThan(0);
	for (const signature of callbackSignatures) expect(text).not.toContain(signature);
	expect(text).toContain('"code":50027');
	expect(text).toContain(`/webhooks/${world.discord.applicationId}/:token/messages/@original`);
});
