import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { modelVersion } from '../fakes/civitai.ts';
import type { CreatedInteraction, FakeMessage } from '../fakes/discord.ts';
import { pngWithText } from '../fakes/orchestrator.ts';
import { embedOf, startWorld, type World } from '../world.ts';
import { rawHttp } from './support/rawHttp.ts';

// Discord's side of the endpoint: a key pair of our own, the public half configured as the application's.
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
const otherKey = generateKeyPairSync('ed25519').privateKey;

let world: World;
beforeAll(async () => {
	world = await startWorld({ INTERACTIONS_MODE: 'http', DISCORD_PUBLIC_KEY: publicHex, PORT: '0', HOST: '127.0.0.1' });
});
afterAll(async () => {
	await world?.close();
});

interface SignOptions {
	key?: KeyObject;
	timestamp?: number;
	/** Sent instead of the signed body: a tampered request. */
	sendBody?: string;
	headers?: Record<string, string>;
}

async function post(payload: unknown, options: SignOptions = {}): Promise<Response> {
	const body = JSON.stringify(payload);
	const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
	const signature = sign(null, Buffer.from(timestamp + body), options.key ?? privateKey).toString('hex');
	const url = `${world.bot.http?.url ?? 'http://missing'}/interactions`;
	const headers = options.headers ?? { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp };
	return fetch(url, { method: 'POST', headers, body: options.sendBody ?? body });
}

/** Discord's side of one interaction: POST it signed, expect the empty 202, wait for the bot's callback. */
async function interact(created: CreatedInteraction): Promise<CreatedInteraction> {
	const response = await post(created.payload);
	expect(response.status).toBe(202);
	expect(await response.text()).toBe('');
	await world.discord.waitFor(() => (world.discord.callbacks.get(created.id)?.length ?? 0) > 0 || undefined, 15_000);
	return created;
}

function waitForOriginal(id: string, check: (message: FakeMessage) => boolean, timeoutMs = 15_000): Promise<FakeMessage> {
	return world.waitForOriginal(id, check, timeoutMs);
}

test('a signed PING is answered with PONG, and the bot never opens a gateway connection', async () => {
	const response = await post({ id: '1200000000000000001', application_id: world.discord.applicationId, type: 1, token: 'ping-token', version: 1 });
	expect(response.status).toBe(200);
	expect(await response.json()).toEqual({ type: 1 });
	expect(world.discord.connections).toBe(0);
	expect(world.discord.requests.some((request) => request.path.startsWith('/gateway'))).toBe(false);
	const health = await fetch(`${world.bot.http?.url ?? ''}/healthz`);
	expect(await health.json()).toEqual({ status: 'ok', database: 'ok', discord: 'http' });
});

test('a request with a missing, foreign or tampered signature is refused with 401 and never handled', async () => {
	const created = world.discord.createCommand({ group: 'project', subcommand: 'create', options: { name: 'Forged Project' } });
	const tampered = JSON.stringify({ ...created.payload, id: '1200000000000000002' });
	const refused = [
		await post(created.payload, { headers: { 'content-type': 'application/json' } }),
		await post(created.payload, { key: otherKey }),
		await post(created.payload, { sendBody: tampered }),
		await post(created.payload, { headers: { 'content-type': 'application/json', 'x-signature-ed25519': 'zz', 'x-signature-timestamp': 'soon' } }),
	];
	expect(refused.map((response) => response.status)).toEqual([401, 401, 401, 401]);

	await sleep(300);
	expect(world.discord.callbacks.get(created.id)).toBeUndefined();
	expect(await world.bot.database.db.project.count({ where: { name: 'Forged Project' } })).toBe(0);
});

test('a correctly signed request older than five minutes is refused with 401', async () => {
	const created = world.discord.createCommand({ group: 'project', subcommand: 'create', options: { name: 'Replayed Project' } });
	const response = await post(created.payload, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
	expect(response.status).toBe(401);
	await sleep(200);
	expect(world.discord.callbacks.get(created.id)).toBeUndefined();
});

test('over HTTP: create project → add character → panel → the image is attached to the original reply', async () => {
	const { discord, civitai, orchestrator } = world;
	civitai.addModelVersion(modelVersion({ id: 789012, modelId: 123456, baseModel: 'SDXL 1.0', trainedWords: ['mychar'], model: { name: 'Mira' } }));

	const created = await interact(discord.createCommand({ group: 'project', subcommand: 'create', options: { name: 'Space Cats' } }));
	expect((await waitForOriginal(created.id, (message) => message.content.includes('Space Cats'))).ephemeral).toBe(true);

	const added = await interact(discord.createCommand({ group: 'character', subcommand: 'add', options: { project: 'space cats', model: '789012' } }));
	await waitForOriginal(added.id, (message) => message.content.includes('Added'));

	const panel = await interact(
		discord.createCommand({ subcommand: 'panel', options: { project: 'Space Cats', prompt: 'she jumps across the rooftops', enhance: false } }),
	);
	const delivered = await waitForOriginal(panel.id, (message) => message.attachments.length === 1, 20_000);
	expect(discord.callbacks.get(panel.id)?.[0]?.type).toBe(5);
	expect(delivered.ephemeral).toBe(false);
	const workflowId = [...orchestrator.workflows.keys()].at(-1);
	expect(delivered.attachments[0]?.data.equals(pngWithText(`workflow ${workflowId}`))).toBe(true);
	expect(embedOf(delivered).image).toEqual({ url: `attachment://${delivered.attachments[0]?.filename}` });
	expect(discord.connections).toBe(0);
});

test("over HTTP: autocomplete offers the user's projects", async () => {
	const { discord } = world;
	const typing = await interact(discord.createAutocomplete({ group: 'character', subcommand: 'add', focused: 'project', options: { project: 'space' } }));
	const choices = discord.autocompleteChoices(typing.id);
	expect(choices).toEqual([expect.objectContaining({ name: 'Space Cats' })]);
});

test('over HTTP: the Delete button of /comic project delete deletes the project', async () => {
	const { discord, bot } = world;
	const asked = await interact(discord.createCommand({ group: 'project', subcommand: 'create', options: { name: 'Doomed' } }));
	await waitForOriginal(asked.id, (message) => message.content.includes('Doomed'));
	const confirm = await interact(discord.createCommand({ group: 'project', subcommand: 'delete', options: { project: 'Doomed' } }));
	const question = await waitForOriginal(confirm.id, (message) => message.components.length > 0);
	const customId = JSON.stringify(question.components).match(/"custom_id":"(project-delete:confirm:[^"]+)"/)?.[1];
	expect(customId).toBeDefined();

	const press = await interact(discord.createButton({ customId: customId ?? '', messageId: question.id }));
	expect(discord.callbacks.get(press.id)?.[0]?.type).toBe(7);
	await discord.waitFor(() => discord.messages.get(question.id)?.content.includes('Deleted') || undefined);
	expect(await bot.database.db.project.count({ where: { name: 'Doomed' } })).toBe(0);
});

test('a request whose signature headers are missing, malformed or stale is refused before its body is read', async () => {
	const port = Number(new URL(world.bot.http?.url ?? 'http://x:1').port);
	const head = (headers: string) => `POST /interactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000\r\n${headers}\r\n`;
	const fresh = String(Math.floor(Date.now() / 1000));
	// Each declares a body that never comes: the refusal must not wait for it, and the connection is closed.
	const answers = await Promise.all([
		rawHttp(port, [head('')]),
		rawHttp(port, [head(`X-Signature-Ed25519: ${'ab'.repeat(63)}\r\nX-Signature-Timestamp: ${fresh}\r\n`)]),
		rawHttp(port, [head(`X-Signature-Ed25519: ${'ab'.repeat(64)}\r\nX-Signature-Timestamp: 12ab\r\n`)]),
		rawHttp(port, [head(`X-Signature-Ed25519: ${'ab'.repeat(64)}\r\nX-Signature-Timestamp: ${Number(fresh) - 600}\r\n`)]),
	]);
	expect(answers.map((answer) => [answer.status, answer.closed])).toEqual([
		[401, true],
		[401, true],
		[401, true],
		[401, true],
	]);
});

test('a body past the 1 MiB cap is refused while it streams in, and the connection is closed', async () => {
	const port = Number(new URL(world.bot.http?.url ?? 'http://x:1').port);
	const fresh = String(Math.floor(Date.now() / 1000));
	const chunk = Buffer.alloc(64 * 1024, 'a');
	const chunked = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
	// 4 MiB announced by nothing (chunked), and more would follow: the bot stops at the cap.
	const answer = await rawHttp(port, [
		`POST /interactions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nX-Signature-Ed25519: ${'ab'.repeat(64)}\r\nX-Signature-Timestamp: ${fresh}\r\n\r\n`,
		...Array.from({ length: 64 }, () => chunked),
	]);
	expect(answer.status).toBe(413);
	expect(answer.closed).toBe(true);
	const health = await fetch(`${world.bot.http?.url ?? ''}/healthz`);
	expect(health.status).toBe(200);
});
