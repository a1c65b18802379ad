import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { modelVersion } from '../tests/fakes/civitai.ts';
import { startFakeCivitai } from '../tests/fakes/civitai.ts';
import { startFakeDiscord, type FakeDiscord } from '../tests/fakes/discord.ts';
import { startFakeOrchestrator } from '../tests/fakes/orchestrator.ts';
import { startBotProcess } from './botProcess.ts';

export interface ScenarioOptions {
	readonly name: string;
	readonly panels: number;
	/** Generation times are drawn from 5–60 s and multiplied by this. */
	readonly scale: number;
	readonly env: Record<string, string>;
	/** Generation times are drawn from this range (seconds) before scaling; default 5–60 s. */
	readonly durationRange?: readonly [number, number];
	/** Send the panel commands evenly over this long instead of all at once. */
	readonly spreadMs?: number;
	/** Turn on orchestrator callbacks to the bot's HTTP server. */
	readonly callbacks?: boolean;
	/** Jobs ahead of each workflow in the orchestrator's queue at submission, counting down (progress has something to show). */
	readonly queueAhead?: number;
	/**
	 * Characters made from a picture (an attachment), drawn by nano-banana-2 (imageGen): each panel
	 * uploads its reference, asks a whatif, then submits. The server's confirm_above is raised so that
	 * nobody is asked before drawing.
	 */
	readonly pictures?: boolean;
	/** PostgreSQL database of the run (`--pg`); unset: the bot's embedded SQLite. */
	readonly databaseUrl?: string | undefined;
}

export interface ScenarioResult {
	readonly name: string;
	readonly panels: number;
	readonly delivered: number;
	readonly ack: Stats;
	readonly completionToImage: Stats;
	readonly orchestratorRequestsPerPanel: number;
	readonly workflowReadsPerPanel: number;
	readonly discordRequestsPerPanel: number;
	readonly dbQueriesPerPanel: number;
	/** SQL statements per panel by shape (src/db/statementShape.ts), most first. */
	readonly statementsPerPanel: readonly { readonly shape: string; readonly perPanel: number }[];
	/** CPU time of the bot process (user + system) per panel, from the draw commands to the last picture. */
	readonly cpuMsPerPanel: number;
	readonly peakRssMb: number;
	/**
	 * Times a TCP receive window on this machine closed while the commands came in, until 5 s after the last (Linux's TcpExt
	 * TCPToZeroWindowAdv, machine-wide): the bot's gateway socket full. On loopback, with its 64 KB
	 * segments, reopening can take up to ~200 ms, which shows in the acknowledgement column.
	 */
	readonly zeroWindows: number;
	/** Most workflows running at once. */
	readonly peakInFlight: number;
	readonly seconds: number;
}

export interface Stats {
	readonly p50: number;
	readonly p99: number;
	readonly max: number;
}

const USER_BASE = 400_000_000_000_000_000n;

/** One run of the real bot process against the fakes: set up users, draw panels all at once, measure. */
export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
	const [discord, civitai, orchestrator] = await Promise.all([startFakeDiscord(), startFakeCivitai(), startFakeOrchestrator({ imageTtlMs: 600_000 })]);
	// Interactions queued behind hundreds of others still count against Discord's 3 s in real life: keep the fake strict.
	const durations = new Map<string, number>();
	orchestrator.behaviour = (_body, workflowId) => {
		const [low, high] = options.durationRange ?? [5, 60];
		const durationMs = Math.round((low + Math.random() * (high - low)) * 1000 * options.scale);
		durations.set(workflowId, durationMs);
		return { durationMs, outcome: 'succeeded', ...(options.queueAhead ? { queueAhead: options.queueAhead, queuedShare: 0.5 } : {}) };
	};
	civitai.addModelVersion(modelVersion({ id: 900001, modelId: 900000, baseModel: 'SDXL 1.0', trainedWords: ['benchchar'], model: { name: 'Bench Hero' } }));
	const dataDir = mkdtempSync(join(tmpdir(), 'comic-bench-'));
	const port = await freePort();
	const bot = startBotProcess(
		{
			DISCORD_TOKEN: discord.botToken,
			DISCORD_API_URL: discord.apiUrl,
			CIVITAI_API_URL: civitai.url,
			CIVITAI_API_TOKEN: orchestrator.token,
			ORCHESTRATOR_URL: orchestrator.url,
			IMAGE_HOSTS: orchestrator.url,
			DATA_DIR: dataDir,
			LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
			MAX_PANELS_PER_USER_PER_DAY: '1000',
			// The HTTP server gives /metrics (database queries) and, with callbacks, receives them.
			PORT: String(port),
			HOST: '127.0.0.1',
			...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
			...(options.callbacks ? { PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
			...options.env,
		},
		dataDir,
		join(dataDir, 'bot.log'),
	);
	const started = Date.now();
	try {
		await discord.waitFor(() => discord.connections > 0 || undefined, 60_000);
		const users = Array.from({ length: options.panels }, (_, index) => String(USER_BASE + BigInt(index)));
		await setUp(discord, users, options.pictures ?? false);

		const before = await counters(port);
		const zeroWindowsBefore = zeroWindowCount();
		const mark = discord.requests.length;
		const ordersMark = orchestrator.requests.length;
		const sent: { id: string; token: string; at: number; index: number }[] = [];
		for (const [index, userId] of users.entries()) {
			if (options.spreadMs) await sleep((options.spreadMs / users.length) * index - (Date.now() - (sent[0]?.at ?? Date.now())));
			sent.push({
				...discord.sendCommand({ subcommand: 'panel', userId, options: { project: 'Bench', prompt: `bench-${index}-x running over rooftops` } }),
				at: Date.now(),
				index,
			});
		}
		// Commands are acknowledged within seconds: count the closed windows of the commands, not of the deliveries after.
		const zeroWindows = sleep(5_000).then(() => zeroWindowCount() - zeroWindowsBefore);
		let peakInFlight = 0;
		const inFlight = setInterval(() => {
			const running = [...orchestrator.workflows.values()].filter((workflow) => !workflow.final).length;
			peakInFlight = Math.max(peakInFlight, running);
		}, 250);
		const deadline = (options.durationRange?.[1] ?? 60) * 1000 * options.scale + 120_000;
		await discord
			.waitFor(() => sent.every((panel) => (discord.originalMessage(panel.id)?.attachments.length ?? 0) > 0) || undefined, deadline)
			.catch(() => undefined);
		clearInterval(inFlight);
		const peakRssMb = bot.peakRssMb();
		const after = await counters(port);

		const requests = discord.requests.slice(mark);
		const ack = sent.map((panel) => (requests.find((request) => request.path.startsWith(`/interactions/${panel.id}/`))?.at ?? Number.NaN) - panel.at);
		const workflowsByIndex = new Map<number, string>();
		for (const workflow of orchestrator.workflows.values()) {
			const index = /bench-(\d+)-x/.exec(JSON.stringify(workflow.body))?.[1];
			if (index !== undefined) workflowsByIndex.set(Number(index), workflow.id);
		}
		const latency = sent.map((panel) => {
			const workflowId = workflowsByIndex.get(panel.index);
			const completed = workflowId ? orchestrator.completedAt(workflowId) : undefined;
			const delivered = requests.find((request) => request.files.length > 0 && request.status < 300 && request.path.includes(panel.token))?.at;
			return completed !== undefined && delivered !== undefined ? delivered - completed : Number.NaN;
		});
		const panelOrders = orchestrator.requests.slice(ordersMark);
		if (process.env.BENCH_DISCORD_ROUTES) {
			const routes = new Map<string, number>();
			for (const request of requests) {
				const route = `${request.method} ${request.path.replace(/\d{6,}/g, ':id').replace(/\/[A-Za-z0-9_-]{40,}/g, '/:token')}`;
				routes.set(route, (routes.get(route) ?? 0) + 1);
			}
			for (const [route, count] of [...routes].sort((a, b) => b[1] - a[1])) process.stderr.write(`  ${(count / options.panels).toFixed(2)} ${route}\n`);
		}
		return {
			name: options.name,
			panels: options.panels,
			delivered: sent.filter((panel) => (discord.originalMessage(panel.id)?.attachments.length ?? 0) > 0).length,
			ack: stats(ack),
			completionToImage: stats(latency),
			orchestratorRequestsPerPanel: panelOrders.length / options.panels,
			workflowReadsPerPanel:
				panelOrders.filter((request) => request.method === 'GET' && request.path.startsWith('/v2/consumer/workflows/')).length / options.panels,
			discordRequestsPerPanel: requests.filter((request) => !request.path.startsWith('/gateway')).length / options.panels,
			dbQueriesPerPanel: (after.dbQueries - before.dbQueries) / options.panels,
			statementsPerPanel: [...after.shapes]
				.map(([shape, count]) => ({ shape, perPanel: (count - (before.shapes.get(shape) ?? 0)) / options.panels }))
				.filter((row) => row.perPanel > 0)
				.sort((a, b) => b.perPanel - a.perPanel),
			cpuMsPerPanel: ((after.cpuSeconds - before.cpuSeconds) * 1000) / options.panels,
			peakRssMb,
			zeroWindows: await zeroWindows,
			peakInFlight,
			seconds: (Date.now() - started) / 1000,
		};
	} finally {
		await bot.stop();
		await Promise.all([discord.close(), civitai.close(), orchestrator.close()]);
		// BENCH_KEEP=1 keeps the run's data folder and the bot's log (bot.log) for a look afterwards.
		if (process.env.BENCH_KEEP) process.stderr.write(`kept ${dataDir}\n`);
		else rmSync(dataDir, { recursive: true, force: true });
	}
}

/** Manage Server (0x20) on top of the fake's default member permissions: may change `/comic settings`. */
const ADMIN = (2248473465835073n | 0x20n).toString();

/** Each user gets a project with one character (a LoRA, or a picture), in small batches (setup is not measured). */
async function setUp(discord: FakeDiscord, users: readonly string[], pictures: boolean): Promise<void> {
	if (pictures) {
		const set = discord.sendCommand({ subcommand: 'settings', memberPermissions: ADMIN, options: { confirm_above: 100_000 } });
		await discord.waitFor(() => discord.originalMessage(set.id)?.content.includes('confirm_above') || undefined, 30_000);
	}
	// One small real picture; each user's character is made from its own attachment of it.
	const image = await sharp({ create: { width: 300, height: 400, channels: 3, background: '#3366aa' } })
		.png()
		.toBuffer();
	for (let start = 0; start < users.length; start += 25) {
		const batch = users.slice(start, start + 25);
		const created = batch.map((userId) => discord.sendCommand({ group: 'project', subcommand: 'create', userId, options: { name: 'Bench' } }));
		await discord.waitFor(() => created.every((sent) => discord.originalMessage(sent.id)) || undefined, 30_000);
		const added = batch.map((userId) =>
			pictures
				? discord.sendCommand({
						group: 'character',
						subcommand: 'add',
						userId,
						options: { project: 'Bench', name: 'Bench Hero' },
						attachments: { image: { filename: 'hero.png', data: image, contentType: 'image/png' } },
					})
				: discord.sendCommand({ group: 'character', subcommand: 'add', userId, options: { project: 'Bench', model: '900001' } }),
		);
		await discord.waitFor(() => added.every((sent) => discord.originalMessage(sent.id)?.content.includes('Added')) || undefined, 30_000);
	}
}

export function stats(values: readonly number[]): Stats {
	const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
	return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

/** Linux's count of receive windows closed (all sockets of the machine); NaN elsewhere. */
function zeroWindowCount(): number {
	try {
		const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
		const header = lines.findIndex((line) => line.startsWith('TcpExt:'));
		const names = lines[header]?.split(/\s+/) ?? [];
		const values = lines[header + 1]?.split(/\s+/) ?? [];
		const column = names.indexOf('TCPToZeroWindowAdv');
		return column > 0 ? Number(values[column]) : Number.NaN;
	} catch {
		return Number.NaN;
	}
}

/** Counters of the bot's /metrics: SQL statements run (in all and by shape) and the process's CPU seconds. */
export async function counters(port: number): Promise<{ dbQueries: number; cpuSeconds: number; shapes: Map<string, number> }> {
	const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((response) => response.text());
	const value = (name: string) => Number(new RegExp(`^${name} ([\\d.e+-]+)`, 'm').exec(text)?.[1] ?? Number.NaN);
	const shapes = new Map<string, number>();
	for (const match of text.matchAll(/^comic_db_statements_total\{shape="((?:[^"\\]|\\.)*)"\} ([\d.e+-]+)$/gm))
		shapes.set((match[1] ?? '').replace(/\\(.)/g, '$1'), Number(match[2]));
	return { dbQueries: value('comic_db_queries_total'), cpuSeconds: value('process_cpu_seconds_total'), shapes };
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
		});
	});
}

function sleep(ms: number): Promise<void> {
	return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
