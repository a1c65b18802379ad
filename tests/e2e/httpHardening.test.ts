// The real entry point in a child process, its HTTP port fed raw bytes the way an attacker on the
// internet would: whatever arrives, the process answers 4xx (or drops the connection) and lives on.
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { callbackKey, signPanelId } from '../../src/http/callbacks.ts';
import { type BotProcess, type Stage, startStage } from '../process.ts';
import { rawHttp } from './support/rawHttp.ts';

/** PUBLIC_URL must name the port before the bot starts: take a free one from the system. */
async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	if (address === null || typeof address === 'string') throw new Error('no TCP port');
	return address.port;
}

let stage: Stage;
let bot: BotProcess;
let port: number;
beforeAll(async () => {
	port = await freePort();
	stage = await startStage({ PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}` });
	bot = await stage.start();
});
afterAll(async () => {
	await stage?.close();
});

const raw = (parts: readonly (string | Buffer)[], waitMs?: number) => rawHttp(port, parts, waitMs);

async function stillHealthy(): Promise<void> {
	const response = await fetch(`http://127.0.0.1:${port}/healthz`);
	expect(response.status).toBe(200);
	expect(bot.output.some((line) => line.includes('uncaught') || line.includes('Uncaught'))).toBe(false);
}

test('a request-target that WHATWG URL rejects is answered 400 and the process lives on', async () => {
	for (const target of ['//[/', 'http://[', '//a:b@[::1', '/%', '*']) {
		const answer = await raw([`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`]);
		expect(answer.status, target).toBeGreaterThanOrEqual(400);
		expect(answer.status, target).toBeLessThan(500);
	}
	await stillHealthy();
});

test('garbage, oversized headers and bad framing get a 4xx, and the process lives on', async () => {
	const answers = await Promise.all([
		raw(['\x00\x01\x02 garbage\r\n\r\n']),
		raw([`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`]),
		raw(['POST /callbacks/orchestrator/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello']),
		raw(['POST /callbacks/orchestrator/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n']),
		raw(['GET /healthz HTTP/1.1\r\nHo\x01st: x\r\n\r\n']),
	]);
	for (const answer of answers) {
		expect(answer.status).toBeGreaterThanOrEqual(400);
		expect(answer.status).toBeLessThan(500);
	}
	expect(answers[1]?.status).toBe(431);
	await stillHealthy();
});

test('a callback with no or a wrong signature is refused before its body is read', async () => {
	// Declares a large body and never sends it: the refusal must not wait for it.
	const answer = await raw([
		'POST /callbacks/orchestrator/some-panel?sig=AAAA HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n',
	]);
	expect(answer.status).toBe(401);
	expect(answer.closed).toBe(true);
	await stillHealthy();
});

test('a client that never finishes its headers, or its body, is cut off, and the process lives on', async () => {
	// A correctly signed callback URL, so that the bot starts reading the body (the panel need not exist).
	const sig = signPanelId(callbackKey({ CIVITAI_API_TOKEN: stage.orchestrator.token }), 'slow-panel');
	const [headers, body] = await Promise.all([
		raw(['GET /healthz HTTP/1.1\r\nHost: x\r\n'], 28_000),
		raw([`POST /callbacks/orchestrator/slow-panel?sig=${sig} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"$type":`], 28_000),
	]);
	expect(headers.closed).toBe(true);
	expect(body.closed).toBe(true);
	await stillHealthy();
});
