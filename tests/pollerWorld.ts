// The poller without the rest of the bot: panel deps built as src/app.ts builds them (real
// Orchestrator client, real @discordjs/rest, real messenger, a real database), against the fakes.
// Each `process()` is what one bot process would have: its own database client and REST client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { REST, type RESTOptions } from '@discordjs/rest';
import { Routes } from 'discord.js';
import { Orchestrator } from '../src/civitai/orchestrator.ts';
import type { PanelDeps } from '../src/comic/panels/panelDeps.ts';
import { openDatabase, type Database, type Db, type Panel } from '../src/db/database.ts';
import { createPanelMessenger } from '../src/discord/messenger.ts';
import { ImageStore } from '../src/images/imageStore.ts';
import { createLog } from '../src/log.ts';
import { defaultSchedule } from '../src/poller/schedule.ts';
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
	process(options?: ProcessOptions): Promise<PanelDeps>;
	/** A panel row in `state`, with a channel message of its own; its interaction is older than the token's 15 minutes. */
	seedPanel(state?: Partial<Omit<Panel, 'params'>>): Promise<Panel>;
	/** A stored picture, so a panel can be seeded `ready`. */
	seedImage(panelId: string): Promise<Pick<Panel, 'imagePath' | 'imageMime'>>;
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
				orchestrator: new Orchestrator({ baseUrl: orchestrator.url, token: orchestrator.token, timeoutMs: options.orchestratorTimeoutMs ?? 5_000 }),
				rewriter: undefined,
				images,
				schedule: defaultSchedule,
				messenger: createPanelMessenger({
					rest,
					images,
					log,
					onTokenDead: async (id) => {
						await processDb.panel.updateMany({ where: { id }, data: { tokenDead: true } });
					},
				}),
				leaseMs: options.leaseMs ?? 5_000,
				retry: { attempts: 6, baseMs: 1_000, capMs: 30_000 },
				...(options.now ? { now: options.now } : {}),
			};
		},
		async seedPanel(state = {}) {
			const message: unknown = await setupRest.post(Routes.channelMessages(CHANNEL_ID), { body: { content: 'Drawing…' } });
			const messageId = typeof message === 'object' && message !== null && 'id' in message && typeof message.id === 'string' ? message.id : null;
			number++;
			return db.panel.create({
				data: {
					projectId: project.id,
					characterId: character.id,
					number,
					ownerId: USER_ID,
					prompt: `panel ${number}`,
					enhance: false,
					applicationId: discord.applicationId,
					interactionId: `9000000000000${String(number).padStart(5, '0')}`,
					interactionToken: `token-${number}`,
					interactionCreatedAt: new Date(Date.now() - 20 * 60_000),
					channelId: CHANNEL_ID,
					messageId,
					nextCheckAt: new Date(),
					...state,
				},
			});
		},
		async seedImage(panelId) {
			const imagePath = await sharedImages.save(panelId, pngWithText(`panel ${panelId}`), 'image/png');
			return { imagePath, imageMime: 'image/png' };
		},
		async close() {
			for (const handle of opened) await handle.close();
			await Promise.all([discord.close(), orchestrator.close()]);
			await database.drop();
			rmSync(dataDir, { recursive: true, force: true });
		},
	};
}
