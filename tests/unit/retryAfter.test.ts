// The orchestrator client against the fake orchestrator: a Retry-After counts from when the 429
// arrived, so a retry at `retryAt` is never early, however long the refused request took.
import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimitError } from '@discordjs/rest';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Orchestrator } from '../../src/civitai/orchestrator.ts';
import { deliveryFailure } from '../../src/discord/discordErrors.ts';
import { HttpError, retryAfter } from '../../src/net/httpError.ts';
import { startFakeOrchestrator, type FakeOrchestrator } from '../fakes/orchestrator.ts';

let fake: FakeOrchestrator;
let client: Orchestrator;
beforeAll(async () => {
	fake = await startFakeOrchestrator({ refuseEarly: true });
	client = new Orchestrator({ baseUrl: fake.url, token: fake.token, timeoutMs: 5_000 });
});
afterAll(async () => {
	await fake?.close();
});

const input = {
	model: 'urn:air:sdxl:checkpoint:civitai:1@1',
	additionalNetworks: {},
	prompt: 'a heron',
	scheduler: 'EulerA',
	steps: 20,
	cfgScale: 7,
	seed: 1,
	width: 832,
	height: 1216,
	quantity: 1,
};

async function workflowId(): Promise<string> {
	const workflow = await client.submit({
		step: { $type: 'textToImage', input },
		externalId: `panel_${Date.now()}_${Math.random().toString(36).slice(2)}`,
		tags: [],
		allowMatureContent: false,
	});
	return workflow.id;
}

/** The error of a call that must fail. */
async function refusal(call: () => Promise<unknown>): Promise<HttpError> {
	const error = await call().then(
		() => undefined,
		(caught: unknown) => caught,
	);
	if (!(error instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(error)}`);
	return error;
}

/** Sleeps until the clock has reached `at` (a timer may fire a millisecond early). */
async function until(at: number): Promise<void> {
	while (Date.now() < at) await sleep(Math.max(1, at - Date.now()));
}

const READ = { method: 'GET', path: /^\/v2\/consumer\/workflows\/[^/]+$/ };

test('a read refused with a slow 429 carries retryAt, counted from the answer: a retry then is never early', async () => {
	const id = await workflowId();
	fake.failNext(READ, { status: 429, headers: { 'retry-after': '1' }, delayMs: 300 });
	const startedAt = Date.now();
	const error = await refusal(() => client.get(id));
	const answeredAt = Date.now();

	expect(error.status).toBe(429);
	expect(error.retryAfterMs).toBe(1_000);
	// Measured when the answer came, 300 ms after the request left.
	expect(error.retryAt).toBeGreaterThanOrEqual(startedAt + 300 + 1_000);
	expect(error.retryAt).toBeLessThanOrEqual(answeredAt + 1_000);

	await until(error.retryAt ?? Number.POSITIVE_INFINITY);
	const workflow = await client.get(id);
	expect(workflow.id).toBe(id);
	expect(fake.earlyRequests).toEqual([]);
});

test('the same retry counted from when the request started is early, and the fake refuses it', async () => {
	const id = await workflowId();
	fake.failNext(READ, { status: 429, headers: { 'retry-after': '1' }, delayMs: 300 });
	const startedAt = Date.now();
	const error = await refusal(() => client.get(id));

	await until(startedAt + (error.retryAfterMs ?? 0));
	const early = await refusal(() => client.get(id));
	expect(early.status).toBe(429);
	expect(fake.earlyRequests).toHaveLength(1);
	expect(fake.earlyRequests[0]).toMatchObject({ kind: 'GET /v2/consumer/workflows/:id' });
	expect((fake.earlyRequests[0]?.allowedAt ?? 0) - (fake.earlyRequests[0]?.at ?? 0)).toBeGreaterThan(200);
	// The refusal gives the rest of the wait, again counted from its own answer.
	expect(early.retryAt).toBeGreaterThanOrEqual(fake.earlyRequests[0]?.allowedAt ?? Number.POSITIVE_INFINITY);

	await until(early.retryAt ?? Number.POSITIVE_INFINITY);
	expect((await client.get(id)).id).toBe(id);
	expect(fake.earlyRequests).toHaveLength(1);
});

test('Retry-After as seconds or as an HTTP date turns into an absolute moment from the answer time', () => {
	const answeredAt = Date.parse('2026-01-01T00:00:00Z');
	expect(retryAfter('2', answeredAt)).toEqual({ retryAfterMs: 2_000, retryAt: answeredAt + 2_000 });
	expect(retryAfter('0.5', answeredAt)).toEqual({ retryAfterMs: 500, retryAt: answeredAt + 500 });
	expect(retryAfter('Thu, 01 Jan 2026 00:00:05 GMT', answeredAt)).toEqual({ retryAfterMs: 5_000, retryAt: answeredAt + 5_000 });
	expect(retryAfter('Wed, 31 Dec 2025 23:59:00 GMT', answeredAt)).toEqual({ retryAfterMs: 0, retryAt: answeredAt });
	expect(retryAfter(null, answeredAt)).toBeUndefined();
	expect(retryAfter('soon', answeredAt)).toBeUndefined();
});

test('a Discord rate limit thrown to the messenger carries retryAt: the moment the call failed plus its wait', () => {
	const limit = new RateLimitError({
		timeToReset: 45_000,
		limit: 5,
		method: 'PATCH',
		hash: 'abc',
		url: 'https://discord.com/api/v10/channels/1/messages/2',
		route: '/channels/:id/messages/:id',
		majorParameter: '1',
		global: false,
		retryAfter: 45_000,
		sublimitTimeout: 0,
		scope: 'user',
	});
	const failedAt = Date.parse('2026-01-01T00:00:00Z');
	expect(deliveryFailure(limit, false, failedAt)).toMatchObject({ ok: false, retryable: true, retryAt: failedAt + 45_000 });
	expect(deliveryFailure(new Error('socket hang up'), false, failedAt)).toMatchObject({ ok: false, retryable: true, retryAt: undefined });
});
