// The orchestrator callback endpoint on a real node:http server (127.0.0.1) and a real database, without
// Discord: only a correctly signed, fresh, terminal callback for the drawing's own workflow makes the drawing
// due; everything else is refused for its reason and changes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { callbackEndpoint, callbackKey, callbackUrlFor, MAX_CALLBACK_AGE_MS, signPanelId } from '../../src/http/callbacks.ts';
import { Metrics } from '../../src/http/metrics.ts';
import { createLog } from '../../src/log.ts';
import { freshDatabase } from '../databases.ts';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const key = callbackKey({ CIVITAI_API_TOKEN: 'token-for-callbacks' });

let database: Database;
let dropDatabase: () => Promise<void>;
let dataDir: string;
let panelId: string;
let server: Server;
let base: string;
let metrics: Metrics;
let pokes = 0;
let logLines: { level: number; msg: string; result?: string }[] = [];

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'comic-callbacks-'));
	const fresh = await freshDatabase();
	dropDatabase = fresh.drop;
	database = await openDatabase({ databaseUrl: fresh.url, dataDir });
	const project = await database.db.project.create({ data: { ownerId: 'u1', name: 'Callbacks', nameKey: 'callbacks' } });
	panelId = (await database.db.panel.create({ data: { projectId: project.id, number: 1, ownerId: 'u1', prompt: 'p', enhance: false } })).id;
	const log = createLog('info', { write: (line: string) => void logLines.push(JSON.parse(line)) });
	server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		void callbackEndpoint({
			key,
			db: database.db,
			log,
			metrics,
			poke: async () => {
				pokes++;
			},
			now: () => NOW,
		})(req, res, url);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
	metrics = new Metrics();
	pokes = 0;
	logLines = [];
});

afterAll(async () => {
	await new Promise((resolve) => server?.close(resolve));
	await database?.close();
	await dropDatabase?.();
	rmSync(dataDir, { recursive: true, force: true });
});

async function drawing(fields: { workflowId?: string | null; status?: 'queued' | 'generating' | 'ready' } = {}): Promise<string> {
	const row = await database.db.drawing.create({
		data: {
			panelId,
			ownerId: 'u1',
			applicationId: 'app',
			interactionId: `i-${Math.random()}`,
			interactionToken: 't',
			interactionCreatedAt: new Date(NOW),
			channelId: 'c',
			status: fields.status ?? 'generating',
			workflowId: fields.workflowId === undefined ? 'wf-1' : fields.workflowId,
			dueAt: new Date(NOW + 60_000),
		},
	});
	return row.id;
}

function body(fields: Record<string, unknown> = {}): string {
	return JSON.stringify({ $type: 'workflow', workflowId: 'wf-1', status: 'succeeded', timestamp: new Date(NOW - 1_000).toISOString(), ...fields });
}

async function post(url: string, text: string): Promise<{ status: number; json: Record<string, unknown> }> {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
	return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const signedUrl = (id: string) => callbackUrlFor(base, key)(id);
const dueAt = async (id: string) => (await database.db.drawing.findUniqueOrThrow({ where: { id } })).dueAt?.getTime();
async function counted(): Promise<Record<string, number>> {
	const values = (await metrics.callbacks.get()).values;
	return Object.fromEntries(values.map((value) => [String(value.labels.result), value.value]));
}

test('a signed, fresh callback with a terminal status makes the generating drawing due now and wakes the poller', async () => {
	const id = await drawing();
	const answer = await post(signedUrl(id), body());
	expect(answer).toEqual({ status: 200, json: { accepted: true } });
	expect(await dueAt(id)).toBe(NOW);
	expect(pokes).toBe(1);
	expect(await counted()).toEqual({ accepted: 1 });
	expect(logLines.find((line) => line.msg.includes('due now'))?.level).toBe(30);
});

test.each(['failed', 'expired', 'canceled'])('a %s workflow is an end too: the drawing is due now', async (status) => {
	const id = await drawing();
	expect((await post(signedUrl(id), body({ status }))).status).toBe(200);
	expect(await dueAt(id)).toBe(NOW);
});

test('a missing or wrong signature is refused as forged, logged as a warning, and changes nothing', async () => {
	const id = await drawing();
	const missing = await post(`${base}/callbacks/orchestrator/${id}`, body());
	expect(missing.status).toBe(401);
	expect(missing.json.detail).toBe('missing or wrong signature');
	const otherPanels = await post(`${base}/callbacks/orchestrator/${id}?sig=${signPanelId(key, 'another-panel')}`, body());
	expect(otherPanels.status).toBe(401);
	// Same length as a real signature, one character off.
	const real = signPanelId(key, id);
	const flipped = `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`;
	expect((await post(`${base}/callbacks/orchestrator/${id}?sig=${flipped}`, body())).status).toBe(401);
	const otherKey = callbackKey({ CIVITAI_API_TOKEN: 'token-for-callbacks', CALLBACK_SECRET: 'another secret' });
	expect((await post(callbackUrlFor(base, otherKey)(id), body())).status).toBe(401);
	expect(await dueAt(id)).toBe(NOW + 60_000);
	expect(pokes).toBe(0);
	expect(await counted()).toEqual({ forged: 4 });
	expect(logLines.filter((line) => line.msg.includes('refused')).map((line) => [line.level, line.result])).toEqual(Array(4).fill([40, 'forged']));
});

test('a body that is not JSON, or not a workflow callback, is refused as invalid', async () => {
	const id = await drawing();
	const notJson = await post(signedUrl(id), '{not json');
	expect(notJson).toEqual({ status: 400, json: { status: 400, detail: 'the body is not JSON' } });
	for (const wrong of [
		body({ $type: 'job' }),
		body({ workflowId: '' }),
		body({ workflowId: 'w'.repeat(201) }),
		body({ status: '' }),
		body({ status: 's'.repeat(51) }),
		body({ timestamp: 'yesterday' }),
		JSON.stringify({ $type: 'workflow', status: 'succeeded', timestamp: new Date(NOW).toISOString() }),
	]) {
		const answer = await post(signedUrl(id), wrong);
		expect(answer).toEqual({ status: 400, json: { status: 400, detail: 'the body is not a workflow callback' } });
	}
	expect(await dueAt(id)).toBe(NOW + 60_000);
	expect(await counted()).toEqual({ invalid: 8 });
	expect(logLines.filter((line) => line.msg.includes('refused')).every((line) => line.level === 30)).toBe(true);
});

test('the longest allowed workflow id and status are read', async () => {
	const id = await drawing({ workflowId: 'w'.repeat(200) });
	const answer = await post(signedUrl(id), body({ workflowId: 'w'.repeat(200), status: 's'.repeat(50) }));
	// Read as a callback (not invalid): an unknown status is merely not an end.
	expect(answer.status).toBe(202);
});

test('a timestamp older than the allowed age or too far ahead of our clock is refused as stale; one just inside is accepted', async () => {
	const id = await drawing();
	const stale = await post(signedUrl(id), body({ timestamp: new Date(NOW - MAX_CALLBACK_AGE_MS - 1).toISOString() }));
	expect(stale).toEqual({ status: 400, json: { status: 400, detail: 'the timestamp is too old or in the future' } });
	const ahead = await post(signedUrl(id), body({ timestamp: new Date(NOW + 5 * 60_000 + 1).toISOString() }));
	expect(ahead.status).toBe(400);
	expect(await dueAt(id)).toBe(NOW + 60_000);
	expect(await counted()).toEqual({ stale: 2 });

	expect((await post(signedUrl(id), body({ timestamp: new Date(NOW + 5 * 60_000).toISOString() }))).status).toBe(200);
	const other = await drawing();
	expect((await post(signedUrl(other), body({ timestamp: new Date(NOW - MAX_CALLBACK_AGE_MS).toISOString() }))).status).toBe(200);
});

test('a callback for a drawing that does not exist, or a malformed path, is answered 404', async () => {
	const ghost = '00000000-0000-4000-8000-000000000000';
	expect(await post(signedUrl(ghost), body())).toEqual({ status: 404, json: { status: 404, detail: 'no such panel' } });
	const tooLong = 'x'.repeat(65);
	expect((await post(signedUrl(tooLong), body())).status).toBe(404);
	expect((await post(`${base}/callbacks/orchestrator/?sig=x`, body())).status).toBe(404);
	expect((await post(`${base}/callbacks/orchestrator/a%2Fb?sig=${signPanelId(key, 'a/b')}`, body())).status).toBe(404);
	expect((await post(`${base}/callbacks/orchestrator/%E0%A4%A?sig=x`, body())).status).toBe(404);
	expect(await counted()).toEqual({ unknown: 5 });
	// An id of the longest allowed length is looked up (and not found), not refused as malformed.
	const longest = 'x'.repeat(64);
	expect(await post(signedUrl(longest), body())).toEqual({ status: 404, json: { status: 404, detail: 'no such panel' } });
	expect(pokes).toBe(0);
});

test("a callback naming another workflow than the drawing's is a mismatch; one for a drawing no longer generating is a replay", async () => {
	const id = await drawing();
	expect(await post(signedUrl(id), body({ workflowId: 'wf-other' }))).toEqual({
		status: 409,
		json: { status: 409, detail: "this workflow is not the panel's" },
	});
	const finished = await drawing({ status: 'ready' });
	expect(await post(signedUrl(finished), body())).toEqual({ status: 409, json: { status: 409, detail: "this panel's workflow was already handled" } });
	expect(await dueAt(id)).toBe(NOW + 60_000);
	expect(await dueAt(finished)).toBe(NOW + 60_000);
	expect(await counted()).toEqual({ mismatch: 1, replayed: 1 });
	expect(pokes).toBe(0);
});

test('a status that is not an end (processing, or one we do not know) is ignored with 202 and the drawing keeps its time', async () => {
	const id = await drawing();
	expect(await post(signedUrl(id), body({ status: 'processing' }))).toEqual({ status: 202, json: { accepted: false, detail: 'not a terminal status' } });
	expect((await post(signedUrl(id), body({ status: 'exploded' }))).status).toBe(202);
	expect(await dueAt(id)).toBe(NOW + 60_000);
	expect(await counted()).toEqual({ ignored: 2 });
	expect(pokes).toBe(0);
});

test('the same end delivered twice makes the drawing due once: the second finds it already handled after the first is stored', async () => {
	const id = await drawing();
	expect((await post(signedUrl(id), body())).status).toBe(200);
	// The runner picked it up meanwhile and finished the workflow.
	await database.db.drawing.update({ where: { id }, data: { status: 'ready', dueAt: null } });
	expect((await post(signedUrl(id), body())).status).toBe(409);
	expect(await dueAt(id)).toBeUndefined();
});

test('callback URLs carry the drawing id encoded and its signature; the key differs with CALLBACK_SECRET', () => {
	const url = new URL(callbackUrlFor('https://bot.example', key)('a b'));
	expect(url.pathname).toBe('/callbacks/orchestrator/a%20b');
	expect(url.searchParams.get('sig')).toBe(signPanelId(key, 'a b'));
	expect(signPanelId(key, 'a b')).toMatch(/^[A-Za-z0-9_-]{43}$/);
	const secret = callbackKey({ CIVITAI_API_TOKEN: 'token-for-callbacks', CALLBACK_SECRET: 's' });
	expect(secret.equals(key)).toBe(false);
	expect(secret.equals(callbackKey({ CIVITAI_API_TOKEN: 'another token', CALLBACK_SECRET: 's' }))).toBe(true);
});
