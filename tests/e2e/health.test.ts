import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { modelVersion } from '../fakes/civitai.ts';
import { startWorld, type World } from '../world.ts';

const METRICS_TOKEN = 'scrape-token-0123456789abcdef';
let world: World;
beforeAll(async () => {
	world = await startWorld({ PORT: '0', HOST: '127.0.0.1', METRICS_TOKEN: METRICS_TOKEN, METRICS_REFRESH_SECONDS: '1' });
});
afterAll(async () => {
	await world?.close();
});

async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
	return fetch(`${world.bot.http?.url ?? 'http://missing'}${path}`, { headers });
}

/** One sample of the Prometheus text format, e.g. `comic_panels{status="ready",delivery="delivered"}`; 0 when absent. */
async function scrape(): Promise<(series: string) => number> {
	const response = await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toContain('text/plain');
	const text = await response.text();
	return (series) => {
		const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
		return line ? Number(line.slice(series.length + 1)) : 0;
	};
}

/** Scrapes until `check` holds (the gauges are refreshed on a timer), within a few refreshes. */
async function scrapeUntil(check: (sample: (series: string) => number) => boolean): Promise<(series: string) => number> {
	const deadline = Date.now() + 5_000;
	for (;;) {
		const sample = await scrape();
		if (check(sample) || Date.now() > deadline) return sample;
		await sleep(100);
	}
}

test('/healthz answers ok with the database and the gateway connection', async () => {
	const response = await get('/healthz');
	expect(response.status).toBe(200);
	expect(await response.json()).toEqual({ status: 'ok', database: 'ok', discord: 'ready' });
	expect((await get('/nowhere')).status).toBe(404);
	expect((await fetch(`${world.bot.http?.url ?? ''}/healthz`, { method: 'POST' })).status).toBe(405);
	// Without INTERACTIONS_MODE=http or PUBLIC_URL those endpoints do not exist.
	expect((await fetch(`${world.bot.http?.url ?? ''}/interactions`, { method: 'POST' })).status).toBe(404);
});

test('/metrics shows panels by state, delivery latency, orchestrator and Discord errors, poll lag and RSS, and they move', async () => {
	const { discord, civitai, orchestrator } = world;
	const before = await scrape();
	expect(before('comic_panels{status="ready",delivery="delivered"}')).toBe(0);
	expect(before('comic_poll_lag_seconds')).toBe(0);
	expect(before('process_resident_memory_bytes')).toBeGreaterThan(10_000_000);

	civitai.addModelVersion(modelVersion({ id: 789012, modelId: 123456, baseModel: 'SDXL 1.0', trainedWords: ['mychar'], model: { name: 'Mira' } }));
	await world.command({ group: 'project', subcommand: 'create', options: { name: 'Metrics' } });
	const added = await world.command({ group: 'character', subcommand: 'add', options: { project: 'Metrics', model: '789012' } });
	await world.waitForOriginal(added.id, (message) => message.content.includes('Added'));
	// One failed read of the workflow and one failed edit of the reply, both tried again with success.
	orchestrator.failNext({ method: 'GET', path: /^\/v2\/consumer\/workflows\/wf_/ }, { status: 503 });
	discord.failNext({ method: 'PATCH', path: /^\/webhooks\// }, { status: 500, code: 0 });
	discord.failNext({ method: 'POST', path: /^\/channels\/123\/messages$/ }, { status: 403, code: 50013 });
	const panel = discord.sendCommand({ subcommand: 'panel', options: { project: 'Metrics', prompt: 'a cat counts sheep', enhance: false } });
	await world.waitForOriginal(panel.id, (message) => message.attachments.length === 1, 20_000);
	// A request the bot makes that Discord refuses with a code: the counter carries it.
	await world.bot.client.rest.post('/channels/123/messages', { body: { content: 'x' } }).catch(() => undefined);

	// The panel gauges come from the timer (every second here): wait for a refresh that saw the panel.
	const after = await scrapeUntil((sample) => sample('comic_panels{status="ready",delivery="delivered"}') === 1);
	expect(after('comic_panels{status="ready",delivery="delivered"}')).toBe(1);
	expect(after('comic_panels{status="generating",delivery="pending"}')).toBe(0);
	expect(after('comic_delivery_latency_seconds_count{status="ready"}')).toBe(1);
	// Every SQL statement is counted, inside and outside transactions: a panel costs some dozens.
	expect(after('comic_db_queries_total') - before('comic_db_queries_total')).toBeGreaterThan(5);
	// …and by shape: the panel's one drawing stored once.
	expect(after('comic_db_statements_total{shape="INSERT Drawing"}') - before('comic_db_statements_total{shape="INSERT Drawing"}')).toBe(1);
	expect(after('comic_delivery_latency_seconds_sum{status="ready"}')).toBeLessThan(30);
	expect(after('comic_orchestrator_errors_total{operation="get",status="503"}')).toBe(1);
	expect(after('comic_discord_errors_total{route="webhooks",status="500",code="0"}')).toBeGreaterThanOrEqual(1);
	expect(after('comic_discord_errors_total{route="channels",status="403",code="50013"}')).toBe(1);

	// With the job runner stopped, a drawing due a minute ago (its claim run out) shows as a minute of lag.
	await world.bot.jobs.stop();
	const { db } = world.bot.database;
	const [row] = await db.drawing.findMany({ take: 1 });
	await db.drawing.update({
		where: { id: row?.id ?? '' },
		data: { dueAt: new Date(Date.now() - 60_000), leaseOwner: 'elsewhere', leaseUntil: new Date(Date.now() - 1) },
	});
	const lagging = await scrapeUntil((sample) => sample('comic_poll_lag_seconds') > 0);
	expect(lagging('comic_poll_lag_seconds')).toBeGreaterThanOrEqual(59);
});

test('/metrics needs the bearer METRICS_TOKEN when it is set: none or a wrong one gets 401', async () => {
	const refused = [await get('/metrics'), await get('/metrics', { authorization: 'Bearer wrong' }), await get('/metrics', { authorization: METRICS_TOKEN })];
	expect(refused.map((response) => response.status)).toEqual([401, 401, 401]);
	expect(refused[0]?.headers.get('www-authenticate')).toBe('Bearer');
	expect(await refused[1]?.text()).not.toContain('comic_');
	expect((await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` })).status).toBe(200);
	// Health stays open: load balancers call it without credentials.
	expect((await get('/healthz')).status).toBe(200);
});

test('a scrape runs no query: the panel gauges come from the timer, and DATA_DIR is measured', async () => {
	await world.bot.jobs.stop();
	const samples = [];
	for (let i = 0; i < 5; i++) samples.push(await scrape());
	const queries = (samples.at(-1)?.('comic_db_queries_total') ?? 0) - (samples[0]?.('comic_db_queries_total') ?? 0);
	// Scanned per scrape, five scrapes would cost at least eight queries; the timer runs at most one refresh (two) meanwhile.
	expect(queries).toBeLessThan(4);
	// The embedded database and the pictures live there: some bytes at least (PostgreSQL: the pictures).
	expect(samples[0]?.('comic_data_dir_bytes')).toBeGreaterThan(100);
});
