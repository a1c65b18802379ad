// Proves the fakes speak real HTTP the way the bot's clients expect, so later tests can trust them.
import { test, expect } from 'vitest';
import OpenAI from 'openai';
import { modelVersion, startFakeCivitai } from './civitai.ts';
import { pngWithText, readPngText, startFakeOrchestrator } from './orchestrator.ts';
import type { FakeOrchestrator } from './orchestrator.ts';
import { startFakeOpenAI } from './openai.ts';
import { isRecord, startHttpFake } from './http.ts';

const TOKEN = 'test-civitai-token';
const auth = { authorization: `Bearer ${TOKEN}` };

function submitBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		tags: ['comics'],
		steps: [
			{
				$type: 'textToImage',
				priority: 'low',
				input: {
					model: 'urn:air:sdxl:checkpoint:civitai:101055@128078',
					prompt: 'mychar, on a rooftop',
					cfgScale: 7,
					seed: 42,
					width: 832,
					height: 1216,
					quantity: 1,
				},
			},
		],
		...extra,
	};
}

async function submit(fake: FakeOrchestrator, body: unknown, query = ''): Promise<{ status: number; json: Record<string, unknown> }> {
	const res = await fetch(`${fake.url}/v2/consumer/workflows${query}`, {
		method: 'POST',
		headers: { ...auth, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const json: unknown = await res.json();
	if (!isRecord(json)) throw new Error('workflow answer is not an object');
	return { status: res.status, json };
}

async function getWorkflow(fake: FakeOrchestrator, id: string): Promise<Record<string, unknown>> {
	const res = await fetch(`${fake.url}/v2/consumer/workflows/${id}`, { headers: auth });
	const json: unknown = await res.json();
	if (!isRecord(json)) throw new Error('workflow answer is not an object');
	return json;
}

function firstImage(wf: Record<string, unknown>): Record<string, unknown> {
	const steps = Array.isArray(wf.steps) ? wf.steps : [];
	const step: unknown = steps[0];
	const output: unknown = isRecord(step) ? step.output : undefined;
	const images: unknown = isRecord(output) ? output.images : undefined;
	const image: unknown = Array.isArray(images) ? images[0] : undefined;
	if (!isRecord(image)) throw new Error('workflow has no output image');
	return image;
}

async function pollUntilTerminal(fake: FakeOrchestrator, id: string): Promise<Record<string, unknown>> {
	const seen: unknown[] = [];
	for (;;) {
		const wf = await getWorkflow(fake, id);
		seen.push(wf.status);
		if (['succeeded', 'failed', 'expired', 'canceled'].includes(String(wf.status))) return { ...wf, seen };
		await new Promise((r) => setTimeout(r, 25));
	}
}

test('civitai fake: model version lookup answers 200, 404 and 400 without needing a token', async () => {
	const fake = await startFakeCivitai();
	try {
		const v = modelVersion({ id: 789012, modelId: 123456, trainedWords: ['mychar'] });
		fake.addModelVersion(v);
		fake.addModelVersion(modelVersion({ id: 789013, modelId: 123456, name: 'v2.0', air: undefined }));

		const ok = await fetch(`${fake.url}/api/v1/model-versions/789012`);
		expect(ok.status).toBe(200);
		expect(await ok.json()).toMatchObject({
			id: 789012,
			modelId: 123456,
			baseModel: 'SDXL 1.0',
			air: 'urn:air:sdxl:lora:civitai:123456@789012',
			model: { type: 'LORA', nsfw: false, poi: false },
		});
		const noAir: unknown = await (await fetch(`${fake.url}/api/v1/model-versions/789013`)).json();
		expect(isRecord(noAir) && 'air' in noAir).toBe(false);

		const missing = await fetch(`${fake.url}/api/v1/model-versions/5`);
		expect(missing.status).toBe(404);
		expect(await missing.json()).toEqual({ error: 'Model not found' });
		const bad = await fetch(`${fake.url}/api/v1/model-versions/abc`);
		expect(bad.status).toBe(400);
		expect(await bad.json()).toEqual({ error: 'Invalid id' });

		const model = await (await fetch(`${fake.url}/api/v1/models/123456`)).json();
		expect(model).toMatchObject({ id: 123456, type: 'LORA', modelVersions: [{ id: 789013 }, { id: 789012 }] });
		expect(isRecord(model) && Array.isArray(model.modelVersions) && isRecord(model.modelVersions[0]) && 'model' in model.modelVersions[0]).toBe(false);
		const noModel = await fetch(`${fake.url}/api/v1/models/99`);
		expect(noModel.status).toBe(404);
		expect(await noModel.json()).toEqual({ error: 'No model with id 99' });
		const mini = await (await fetch(`${fake.url}/api/v1/model-versions/mini/789012`)).json();
		expect(mini).toMatchObject({ id: 789012, canGenerate: true, baseModel: 'SDXL 1.0', air: v.air });

		expect(fake.requests.map((r) => r.status)).toEqual([200, 200, 404, 400, 200, 404, 200]);
		expect(fake.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
	} finally {
		await fake.close();
	}
});

test('orchestrator fake: submit, poll to succeeded, download the image bytes', async () => {
	const fake = await startFakeOrchestrator();
	try {
		const { status, json } = await submit(fake, submitBody());
		expect(status).toBe(202);
		expect(json).toMatchObject({ status: 'unassigned', tags: ['comics'], cost: { total: 10 } });
		const id = String(json.id);
		expect(fake.submissions[0]?.body).toEqual(submitBody());

		const wf = await pollUntilTerminal(fake, id);
		expect(wf.status).toBe('succeeded');
		expect(wf.seen).toContain('processing');
		expect(wf.completedAt).toBeTypeOf('string');
		expect(fake.readsFor(id)).toBe(fake.reads);
		expect(fake.completedAt(id)).toBeGreaterThanOrEqual(Date.parse(String(json.createdAt)) + 300);

		const image = firstImage(wf);
		expect(image).toMatchObject({ type: 'image', available: true, nsfwLevel: 'pg', width: 832, height: 1216 });
		const res = await fetch(String(image.url));
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('image/png');
		const bytes = Buffer.from(await res.arrayBuffer());
		expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
		expect(readPngText(bytes)).toBe(`workflow ${id}`);
		expect(fake.imageDownloads).toBe(1);
	} finally {
		await fake.close();
	}
});

test('orchestrator fake: an expired image URL answers 403 and a refreshed one works', async () => {
	const fake = await startFakeOrchestrator({ behaviour: () => ({ durationMs: 0, outcome: 'succeeded', image: pngWithText('custom') }) });
	try {
		const { json } = await submit(fake, submitBody());
		const image = firstImage(await getWorkflow(fake, String(json.id)));
		fake.expireImageUrls();
		expect((await fetch(String(image.url))).status).toBe(403);

		const refreshed = await fetch(`${fake.url}/v2/consumer/blobs/${String(image.id)}/refresh`, { method: 'POST', headers: auth });
		expect(refreshed.status).toBe(200);
		const body: unknown = await refreshed.json();
		if (!isRecord(body)) throw new Error('refresh answer is not an object');
		const res = await fetch(String(body.url));
		expect(res.status).toBe(200);
		expect(readPngText(Buffer.from(await res.arrayBuffer()))).toBe('custom');
	} finally {
		await fake.close();
	}
});

test('orchestrator fake: a repeated externalId returns the existing workflow', async () => {
	const fake = await startFakeOrchestrator();
	try {
		const first = await submit(fake, submitBody({ externalId: 'panel-42' }));
		const second = await submit(fake, submitBody({ externalId: 'panel-42' }));
		expect(first.status).toBe(202);
		expect(second.status).toBe(200);
		expect(second.json.id).toBe(first.json.id);
		expect(fake.workflows.size).toBe(1);
		expect(fake.submissions).toHaveLength(2);

		const invalid = await submit(fake, submitBody({ externalId: 'panel:42' }));
		expect(invalid.status).toBe(400);
	} finally {
		await fake.close();
	}
});

test('orchestrator fake: cancel stops a running workflow and notifies callbacks', async () => {
	const fake = await startFakeOrchestrator({ behaviour: () => ({ durationMs: Infinity, outcome: 'succeeded' }) });
	const hooks = await startHttpFake(() => ({ status: 204 }));
	try {
		const callbacks = [{ url: `${hooks.url}/hook`, type: ['workflow:*'] }];
		const { json } = await submit(fake, submitBody({ callbacks }));
		const id = String(json.id);
		expect((await getWorkflow(fake, id)).status).toBe('processing');
		const put = await fetch(`${fake.url}/v2/consumer/workflows/${id}`, {
			method: 'PUT',
			headers: { ...auth, 'content-type': 'application/json' },
			body: JSON.stringify({ status: 'canceled' }),
		});
		expect(put.status).toBe(200);
		expect(await put.json()).toMatchObject({ id, status: 'canceled' });
		expect(fake.cancellations).toEqual([id]);
		expect(fake.completedAt(id)).toBeTypeOf('number');

		const other = await submit(fake, submitBody());
		const del = await fetch(`${fake.url}/v2/consumer/workflows/${String(other.json.id)}`, { method: 'DELETE', headers: auth });
		expect(del.status).toBe(204);
		expect((await getWorkflow(fake, String(other.json.id))).status).toBe('canceled');

		await expect.poll(() => hooks.requests.length).toBeGreaterThanOrEqual(1);
		expect(hooks.requests[0]?.body).toMatchObject({ $type: 'workflow', workflowId: id, status: 'canceled' });
		expect(fake.callbackDeliveries).toHaveLength(1);
	} finally {
		await fake.close();
		await hooks.close();
	}
});

test('orchestrator fake: failed and manual workflows, list, and whatif', async () => {
	const fake = await startFakeOrchestrator({ behaviour: () => ({ durationMs: 50, outcome: 'failed' }) });
	try {
		const failed = await pollUntilTerminal(fake, String((await submit(fake, submitBody())).json.id));
		expect(failed.status).toBe('failed');
		expect(JSON.stringify(failed.steps)).not.toContain('"output"');

		fake.behaviour = () => ({ durationMs: Infinity, outcome: 'succeeded' });
		const manualId = String((await submit(fake, submitBody({ tags: ['other'] }))).json.id);
		fake.complete(manualId);
		expect((await getWorkflow(fake, manualId)).status).toBe('succeeded');

		const list = await (await fetch(`${fake.url}/v2/consumer/workflows?tags=comics&take=10`, { headers: auth })).json();
		expect(list).toMatchObject({ next: null, items: [{ status: 'failed' }] });

		const preview = await submit(fake, submitBody(), '?whatif=true');
		expect(preview.status).toBe(200);
		expect(preview.json).toMatchObject({ cost: { total: 10 }, transactions: { insufficientBuzz: false } });
		expect(fake.workflows.size).toBe(2);

		const invalid = await submit(fake, { steps: [{ $type: 'textToImage', input: { model: 'x', cfgScale: 7, seed: 1 } }] });
		expect(invalid.status).toBe(400);
		expect(invalid.json).toMatchObject({ status: 400, errors: { 'steps[0].input.prompt': [expect.any(String)] } });
	} finally {
		await fake.close();
	}
});

test('orchestrator fake: a wrong token is 401 problem details; failNext injects a 429 with Retry-After', async () => {
	const fake = await startFakeOrchestrator();
	try {
		const unauthorized = await fetch(`${fake.url}/v2/consumer/workflows/wf_x`, { headers: { authorization: 'Bearer wrong' } });
		expect(unauthorized.status).toBe(401);
		expect(unauthorized.headers.get('content-type')).toBe('application/problem+json');
		expect(await unauthorized.json()).toMatchObject({ status: 401, title: 'Unauthorized' });

		fake.failNext({ method: 'POST', path: /^\/v2\/consumer\/workflows$/ }, { status: 429, headers: { 'Retry-After': '2' }, times: 2 });
		const limited = await fetch(`${fake.url}/v2/consumer/workflows`, { method: 'POST', headers: auth, body: JSON.stringify(submitBody()) });
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('2');
		expect(await limited.json()).toMatchObject({ status: 429 });
		expect((await submit(fake, submitBody())).status).toBe(429);
		expect((await submit(fake, submitBody())).status).toBe(202);
		expect(fake.workflows.size).toBe(1);

		fake.stallNext({ method: 'GET' }, 150);
		const started = Date.now();
		expect((await fetch(`${fake.url}/v2/consumer/workflows/nope`, { headers: auth })).status).toBe(404);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	} finally {
		await fake.close();
	}
});

test('openai fake: the real client gets the default reply and the request is recorded', async () => {
	const fake = await startFakeOpenAI();
	try {
		const client = new OpenAI({ apiKey: 'test-openai-key', baseURL: fake.url, maxRetries: 0 });
		const completion = await client.chat.completions.create({
			model: 'gpt-4o-mini',
			temperature: 0.7,
			max_tokens: 512,
			messages: [
				{ role: 'system', content: 'Rewrite the prompt.' },
				{ role: 'user', content: 'mychar waves' },
			],
		});
		expect(completion.choices[0]?.message.content).toBe('REWRITTEN: mychar waves');
		expect(completion.usage?.total_tokens).toBeGreaterThan(0);
		expect(fake.completions).toHaveLength(1);
		expect(fake.completions[0]?.body).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.7, max_tokens: 512 });

		const wrongKey = new OpenAI({ apiKey: 'nope', baseURL: fake.url, maxRetries: 0 });
		await expect(wrongKey.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
			status: 401,
			code: 'invalid_api_key',
		});

		fake.failNext({ path: /chat\/completions/ }, { status: 429 });
		await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 429 });

		fake.delayMs = 20_000;
		const slow = new OpenAI({ apiKey: 'test-openai-key', baseURL: fake.url, maxRetries: 0, timeout: 200 });
		await expect(slow.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow(/timed out/i);
	} finally {
		const closing = Date.now();
		await fake.close();
		// close() must not wait for the stalled 20 s answer.
		expect(Date.now() - closing).toBeLessThan(1000);
	}
});
