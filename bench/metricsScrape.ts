// npm run bench:metrics [-- --drawings 200000]
// How long a /metrics scrape takes with many drawings in the database, and how long the event loop
// stays blocked meanwhile. Rows are inserted directly (no bot, no fakes); DATABASE_URL selects
// PostgreSQL (an empty database), else a fresh embedded database in a temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from 'discord.js';
import { parseConfig } from '../src/config.ts';
import { openDatabase, Prisma } from '../src/db/database.ts';
import { Metrics, panelStats } from '../src/http/metrics.ts';
import { startHttpServer } from '../src/http/server.ts';
import { createLog } from '../src/log.ts';

const { values } = parseArgs({
	options: { drawings: { type: 'string', default: '200000' }, scrapes: { type: 'string', default: '20' }, keep: { type: 'boolean', default: false } },
});
const drawings = Number(values.drawings);
const dataDir = mkdtempSync(join(tmpdir(), 'comic-metrics-'));
const config = parseConfig({ DISCORD_TOKEN: 'x', CIVITAI_API_TOKEN: 'x', DATA_DIR: dataDir, DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: 'silent' });
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir });
const { db } = database;

const project = await db.project.create({ data: { ownerId: '1', name: 'Bench', nameKey: 'bench' } });
const panel = await db.panel.create({ data: { projectId: project.id, number: 1, ownerId: '1', prompt: 'p', enhance: false } });
const statuses = ['queued', 'generating', 'ready', 'failed'] as const;
const deliveries = ['pending', 'delivered', 'undelivered'] as const;
const started = performance.now();
const seed = Math.min(5_000, drawings);
await db.drawing.createMany({
	data: Array.from({ length: seed }, (_, i) => ({
		panelId: panel.id,
		ownerId: '1',
		status: statuses[i % 4] ?? 'ready',
		delivery: deliveries[i % 3] ?? 'delivered',
		applicationId: '1',
		interactionId: String(i),
		interactionToken: 't',
		interactionCreatedAt: new Date(),
		channelId: '1',
	})),
});
// The rest are copies of those made by the database itself (Prisma's createMany takes minutes for 200,000 on SQLite).
const columns = Object.values(Prisma.DrawingScalarFieldEnum).map((name) => `"${name}"`);
for (let copy = 1; seed * (copy + 1) <= drawings; copy++) {
	const copied = columns.map((column) => (column === '"id"' ? `"id" || ':${copy}'` : column)).join(', ');
	await db.$executeRawUnsafe(`INSERT INTO "Drawing" (${columns.join(', ')}) SELECT ${copied} FROM "Drawing" WHERE "id" NOT LIKE '%:%'`);
}
console.log(`inserted ${await db.drawing.count()} drawings in ${Math.round(performance.now() - started)} ms (${database.provider})`);

const metrics = new Metrics();
const client = new Client({ intents: [] });
const http = await startHttpServer({ config, log: createLog('silent'), db, client, metrics, poke: async () => {} }, 0);
const scrape = async () => {
	const response = await fetch(`${http.url}/metrics`, { headers: config.METRICS_TOKEN ? { authorization: `Bearer ${config.METRICS_TOKEN}` } : {} });
	return response.text();
};
// The gauges are filled: at scrape time (before) or by the first run of the timer (after).
for (let tries = 0; !(await scrape()).includes('comic_panels{status="ready",delivery="delivered"} '); tries++) {
	if (tries > 100) throw new Error('the panel gauges never appeared');
	await new Promise((resolve) => setTimeout(resolve, 100));
}
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const times: number[] = [];
for (let i = 0; i < Number(values.scrapes); i++) {
	const at = performance.now();
	await scrape();
	times.push(performance.now() - at);
}
loop.disable();
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? 0;
console.log(
	`${times.length} scrapes at ${drawings} drawings: min ${(times[0] ?? 0).toFixed(1)} ms, median ${median.toFixed(1)} ms, max ${(times.at(-1) ?? 0).toFixed(1)} ms; event loop delay max ${(loop.max / 1e6).toFixed(1)} ms`,
);
// What a refresh costs (once per METRICS_REFRESH_SECONDS on the timer; on every scrape before).
const counts: number[] = [];
for (let i = 0; i < 5; i++) {
	const at = performance.now();
	await panelStats(db).countByState();
	counts.push(performance.now() - at);
}
counts.sort((a, b) => a - b);
console.log(`the grouped count of drawings by state: median ${(counts[2] ?? 0).toFixed(1)} ms of 5`);
await http.close();
await client.destroy();
await database.close();
if (values.keep) console.log(`kept ${dataDir}`);
else rmSync(dataDir, { recursive: true, force: true });
