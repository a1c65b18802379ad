import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parseConfig, shardOptions } from '../../src/config.ts';
import { checkHealth } from '../../src/http/health.ts';
import { countingDiscordTransport, routeKind } from '../../src/http/instrument.ts';
import { folderBytes, Metrics } from '../../src/http/metrics.ts';
import { httpPort } from '../../src/http/server.ts';
import { createLog } from '../../src/log.ts';
import { callbackSchedule, defaultSchedule } from '../../src/comic/generation/schedule.ts';

const minimal = { DISCORD_TOKEN: 'token', CIVITAI_API_TOKEN: 'key' };
const silent = createLog('silent');

test('health is an error when the database does not answer within the bound, whatever Discord says', async () => {
	const never = () => new Promise<never>(() => undefined);
	expect(await checkHealth({ ping: never, discord: () => 'ready', timeoutMs: 50 })).toEqual({ status: 'error', database: 'timeout', discord: 'ready' });
	expect(await checkHealth({ ping: () => Promise.reject(new Error('down')), discord: () => 'http' })).toEqual({
		status: 'error',
		database: 'error',
		discord: 'http',
	});
	expect(await checkHealth({ ping: () => Promise.resolve(1), discord: () => 'connecting' })).toEqual({ status: 'ok', database: 'ok', discord: 'connecting' });
});

test('the HTTP server runs when PORT is set, in HTTP interactions mode, or for callbacks, on 8080 by default', () => {
	expect(httpPort(parseConfig(minimal))).toBeUndefined();
	expect(httpPort(parseConfig({ ...minimal, PORT: '3000' }))).toBe(3000);
	expect(httpPort(parseConfig({ ...minimal, INTERACTIONS_MODE: 'http', DISCORD_PUBLIC_KEY: 'a'.repeat(64) }))).toBe(8080);
	expect(httpPort(parseConfig({ ...minimal, PUBLIC_URL: 'https://bot.example.com/' }))).toBe(8080);
});

test('HTTP mode without DISCORD_PUBLIC_KEY, a plain-http public URL and a bad shard count each get one readable line', () => {
	let problems: readonly string[] = [];
	try {
		parseConfig({ INTERACTIONS_MODE: 'http', PUBLIC_URL: 'http://bot.example.com', DISCORD_SHARDS: 'many', PORT: '70000' });
	} catch (error) {
		problems = error instanceof Error && 'problems' in error && Array.isArray(error.problems) ? error.problems : [];
	}
	expect(problems).toEqual(
		expect.arrayContaining([
			expect.stringMatching(/^DISCORD_PUBLIC_KEY is required when INTERACTIONS_MODE=http/),
			expect.stringMatching(/^PUBLIC_URL must use https/),
			expect.stringMatching(/^DISCORD_SHARDS must be auto or a number/),
			expect.stringMatching(/^PORT must be a port number/),
			expect.stringMatching(/^DISCORD_TOKEN /),
		]),
	);
});

test('DISCORD_SHARDS becomes the discord.js shards option: auto, or that many shards in this process', () => {
	expect(shardOptions(parseConfig(minimal).DISCORD_SHARDS)).toEqual({});
	expect(shardOptions(parseConfig({ ...minimal, DISCORD_SHARDS: 'auto' }).DISCORD_SHARDS)).toEqual({ shards: 'auto' });
	expect(shardOptions(parseConfig({ ...minimal, DISCORD_SHARDS: '3' }).DISCORD_SHARDS)).toEqual({ shards: [0, 1, 2], shardCount: 3 });
});

test('with callbacks on, the safety-net schedule reads every 15–30 s, far less often than polling alone', () => {
	const reads = (schedule: typeof defaultSchedule, seconds: number) => {
		let at = 0;
		let checks = 0;
		for (;;) {
			at += schedule({ now: at, submittedAt: 0, checks });
			if (at > seconds * 1000) break;
			checks++;
		}
		return checks;
	};
	for (let checks = 0; checks < 10; checks++) {
		const gap = callbackSchedule({ now: 0, submittedAt: 0, checks, estimatedCompleteAt: 5_000 });
		expect(gap).toBeGreaterThanOrEqual(15_000);
		expect(gap).toBeLessThanOrEqual(30_000);
	}
	expect(reads(callbackSchedule, 60)).toBeLessThanOrEqual(reads(defaultSchedule, 60) / 3);
});

test('the Discord transport counts failed requests by route kind, status and Discord code, and hands the body on intact', async () => {
	const metrics = new Metrics();
	const body = JSON.stringify({ code: 50013, message: 'Missing Permissions' });
	const transport = countingDiscordTransport(metrics, async () => new Response(body, { status: 403, headers: { 'content-type': 'application/json' } }));
	const response = await transport('https://discord.com/api/v10/channels/1/messages', { method: 'POST' });
	expect(response.status).toBe(403);
	expect(await response.json()).toEqual({ code: 50013, message: 'Missing Permissions' });
	const text = await metrics.registry.metrics();
	expect(text).toContain('comic_discord_errors_total{route="channels",status="403",code="50013"} 1');
	expect(routeKind('https://discord.com/api/v10/interactions/1/tok/callback')).toBe('interactions');
	expect(routeKind('http://127.0.0.1:1/api/v10/123/x')).toBe('other');
});

test('panel gauges and poll lag come from the last refresh; the lag grows with the clock between refreshes', async () => {
	const metrics = new Metrics();
	let oldest: Date | undefined = new Date(1_000);
	let clock = 31_000;
	let counts = 0;
	const watch = metrics.watchPanels(
		{
			countByState: async () => {
				counts++;
				return [{ status: 'generating', delivery: 'pending', count: 3 }];
			},
			oldestDue: async () => oldest,
		},
		silent,
		{ intervalMs: 60_000, now: () => clock },
	);
	await watch.refresh();
	let text = await metrics.registry.metrics();
	expect(text).toContain('comic_poll_lag_seconds 30');
	expect(text).toContain('comic_panels{status="generating",delivery="pending"} 3');
	expect(text).toContain('comic_panels{status="ready",delivery="delivered"} 0');
	// Scrapes read the stored values: no query per scrape.
	const before = counts;
	clock = 41_000;
	text = await metrics.registry.metrics();
	await metrics.registry.metrics();
	expect(counts).toBe(before);
	expect(text).toContain('comic_poll_lag_seconds 40');
	oldest = undefined;
	await watch.refresh();
	text = await metrics.registry.metrics();
	expect(text).toContain('comic_poll_lag_seconds 0');
	watch.stop();
});

test("DATA_DIR's size is the sum of its files, folders included", async () => {
	const root = mkdtempSync(join(tmpdir(), 'comic-size-'));
	mkdirSync(join(root, 'images', 'deep'), { recursive: true });
	writeFileSync(join(root, 'a.bin'), Buffer.alloc(1_000));
	writeFileSync(join(root, 'images', 'b.png'), Buffer.alloc(2_345));
	writeFileSync(join(root, 'images', 'deep', 'c.png'), Buffer.alloc(10));
	expect(await folderBytes(root)).toBe(3_355);
	const metrics = new Metrics();
	const watch = metrics.watchPanels({ countByState: async () => [], oldestDue: async () => undefined }, silent, { intervalMs: 60_000, dataDir: root });
	await watch.refresh();
	expect(await metrics.registry.metrics()).toContain('comic_data_dir_bytes 3355');
	watch.stop();
	rmSync(root, { recursive: true, force: true });
});
