// The job runner without the rest of the bot: generation deps built as src/app.ts builds them (real
// Orchestrator client, real @discordjs/rest, real messenger, a real database), against the fakes.
// Each `process()` is what one bot process would have: its own database client and REST client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { REST, type RESTOptions } from '@discordjs/rest';
import { Routes } from 'discord.js';
import { Orchestrator } from '../src/civitai/orchestrator.ts';
import { parseImageHosts } from '../src/net/imageHosts.ts';
import type { GenerationDeps } from '../src/comic/generation/deps.ts';
import { drawingJob } from '../src/comic/generation/drawingJob.ts';
import { markTokenDead } from '../src/comic/generation/message.ts';
import { defaultSchedule } from '../src/comic/generation/schedule.ts';
import { openDatabase, drawingJobs, type Database, type Db, type Drawing } from '../src/db/database.ts';
import { createJobRunner, type JobRunner, type RunnerOptions } from '../src/jobs/runner.ts';
import { createPanelMessenger } from '../src/discord/messenger.ts';
import { ImageStore } from '../src/images/imageStore.ts';
import { createLog } from '../src/log.ts';
import { freshDatabase } from './databases.ts';
import { startFakeDiscord, type FakeDiscord } from './fakes/discord.ts';
import { startFakeOrchestrator, pngWithText, type FakeOrchestrator } from './fakes/orchestrator.ts';

export const CHANNEL_ID = '300000000000000042';
const USER_ID = '100000000000000001';

export interface ProcessOptions {
	readonly now?: () => number;
	readonly leaseMs?: number;
	readonly rest?: Partial<RESTOptions>;
	readonly orchestratorTimeoutMs?: number;
	/** A DATA_DIR of its own, as a process on another host would have. */
	readonly dataDir?: string;
}

export interface PollerWorld {
	readonly discord: FakeDiscord;
	readonly orchestrator: FakeOrchestrator;
	/** The test's own view of the database. */
	readonly db: Db;
	readonly logs: string[];
	/** Deps of one more "process": a database client and a REST client of its own. */
	process(options?: ProcessOptions): Promise<TestProcess>;
	/** A panel with one drawing in `state`, with a channel message of its own; its interaction is older than the token's 15 minutes. */
	seedPanel(state?: Partial<Omit<Drawing, 'params'>>): Promise<Drawing>;
	/** A stored picture kept as the drawing's one take, so a drawing can be seeded `ready`. */
	seedImage(drawingId: string): Promise<void>;
	close(): Promise<void>;
}

export async function startPollerWorld(): Promise<PollerWorld> {
	const [discord, orchestrator] = await Promise.all([startFakeDiscord(), startFakeOrchestrator()]);
	const dataDir = mkdtempSync(join(tmpdir(), 'comic-poller-'));
	const database = await freshDatabase();
	const opened: Database[] = [];
	const open = async () => {
		const handle = await openDatabase({ databaseUrl: database.url, dataDir });
		opened.push(handle);
		return handle.db;
	};
	const db = await open();
	const logs: string[] = [];
	const sink = new Writable({
		write(chunk: Buffer, _encoding, done) {
			logs.push(chunk.toString());
			done();
		},
	});
	const log = createLog('debug', sink);
	const sharedImages = new ImageStore(dataDir);
	const setupRest = new REST({ api: discord.apiUrl }).setToken(discord.botToken);
	const project = await db.project.create({ data: { ownerId: USER_ID, name: 'Races', nameKey: 'races' } });
	const character = await db.character.create({
		data: {
			projectId: project.id,
			name: 'Rex',
			nameKey: 'rex',
			modelId: 1,
			modelVersionId: 2,
			modelName: 'Rex',
			versionName: 'v1',
			modelType: 'LORA',
			baseModel: 'SDXL 1.0',
			air: 'urn:air:sdxl:lora:civitai:1@2',
			trainedWords: ['rex'],
		},
	});
	let number = 0;

	return {
		discord,
		orchestrator,
		db,
		logs,
		async process(options = {}) {
			const processDb = await open();
			const rest = new REST({ api: discord.apiUrl, ...options.rest }).setToken(discord.botToken);
			const images = options.dataDir ? new ImageStore(options.dataDir) : sharedImages;
			return {
				db: processDb,
				log,
				botOrchestrator: new Orchestrator({
					baseUrl: orchestrator.url,
					token: orchestrator.token,
					timeoutMs: options.orchestratorTimeoutMs ?? 5_000,
					now: options.now,
					imageHosts: parseImageHosts(orchestrator.url),
				}),
				rewriter: undefined,
				images,
				schedule: defaultSchedule,
				messenger: createPanelMessenger({
					rest,
					images,
					log,
					...(options.now ? { now: options.now } : {}),
					onTokenDead: (id) => markTokenDead(processDb, id),
				}),
				...(options.now ? { now: options.now } : {}),
				leaseMs: options.leaseMs ?? 5_000,
			};
		},
		async seedPanel(state = {}) {
			const message: unknown = await setupRest.post(Routes.channelMessages(CHANNEL_ID), { body: { content: 'Drawing…' } });
			const messageId = typeof message === 'object' && message !== null && 'id' in message && typeof message.id === 'string' ? message.id : null;
			number++;
			const panel = await db.panel.create({
				data: { projectId: project.id, characterId: character.id, number, ownerId: USER_ID, prompt: `panel ${number}`, enhance: false },
			});
			return db.drawing.create({
				data: {
					panelId: panel.id,
					ownerId: USER_ID,
					applicationId: discord.applicationId,
					interactionId: `9000000000000${String(number).padStart(5, '0')}`,
					interactionToken: `token-${number}`,
					interactionCreatedAt: new Date(Date.now() - 20 * 60_000),
					channelId: CHANNEL_ID,
					messageId,
					dueAt: new Date(),
					...state,
				},
			});
		},
		async seedImage(drawingId) {
			const drawing = await db.drawing.findUniqueOrThrow({ where: { id: drawingId } });
			const imagePath = await sharedImages.save(drawingId, pngWithText(`panel ${drawingId}`), 'image/png');
			const workflowId = drawing.workflowId ?? `seeded-${drawingId}`;
			await db.drawing.update({ where: { id: drawingId }, data: { workflowId } });
			await db.take.create({
				data: { drawingId, panelId: drawing.panelId, index: 1, workflowId, imagePath, imageMime: 'image/png', imageSize: 1, chosen: true },
			});
		},
		async close() {
			for (const handle of opened) await handle.close();
			await Promise.all([discord.close(), orchestrator.close()]);
			await database.drop();
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}

/** One "process": the generation deps, and job runners on them by lease owner. */
export type TestProcess = GenerationDeps & { readonly leaseMs: number };

const runners = new WeakMap<TestProcess, Map<string, JobRunner>>();

/** The job runner of `owner` in this process (one per owner, as a bot process has one). */
export function runnerOf(process: TestProcess, owner: string): JobRunner {
	let byOwner = runners.get(process);
	if (!byOwner) {
		byOwner = new Map();
		runners.set(process, byOwner);
	}
	let runner = byOwner.get(owner);
	if (!runner) {
		runner = createJobRunner({
			log: process.log,
			owner,
			leaseMs: process.leaseMs,
			kinds: [drawingJob(process, { attempts: 6, baseMs: 1_000, capMs: 30_000 })],
			...(process.now ? { now: process.now } : {}),
		});
		byOwner.set(owner, runner);
	}
	return runner;
}

/** One wake of `owner`'s runner: claim the due drawings, run each. */
export function pollOnce(process: TestProcess, options: RunnerOptions & { owner: string }) {
	return runnerOf(process, options.owner).pollOnce(options);
}

/** `owner`'s runner on its schedule, as a bot process runs it. */
export function startPoller(process: TestProcess, options: RunnerOptions & { owner: string; intervalSeconds: number }): JobRunner {
	const runner = runnerOf(process, options.owner);
	runner.start(options.intervalSeconds, options);
	return runner;
}

/** A bare claim of up to `limit` due drawings, as one wake of the runner makes it. */
export async function claimDue(process: TestProcess, owner: string, limit: number): Promise<{ claim: string; ids: string[] }> {
	const table = drawingJobs(process.db);
	const now = new Date((process.now ?? Date.now)());
	const claim = `${owner}/${Math.random().toString(36).slice(2)}`;
	const ids = await table.due(now, limit);
	return { claim, ids: ids.length ? await table.claim(ids, now, claim, new Date(now.getTime() + process.leaseMs)) : [] };
}
