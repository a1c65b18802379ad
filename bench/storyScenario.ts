import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database.ts';
import { modelVersion, startFakeCivitai } from '../tests/fakes/civitai.ts';
import { startFakeDiscord, type FakeDiscord } from '../tests/fakes/discord.ts';
import { defaultReply, startFakeOpenAI } from '../tests/fakes/openai.ts';
import { startFakeOrchestrator } from '../tests/fakes/orchestrator.ts';
import { startBotProcess } from './botProcess.ts';
import { freePort, type Stats, stats } from './scenario.ts';

export interface StoryBenchResult {
	readonly users: number;
	readonly panelsPerStory: number;
	readonly drawn: number;
	/** From a drawing of a user ending (its takes kept) to that user's next waiting drawing submitted. */
	readonly slotToSubmission: Stats;
	/** Acknowledgements of single panels of other users, sent while the stories run. */
	readonly singleAck: Stats;
	readonly peakPerUser: number;
	readonly seconds: number;
}

const USER_BASE = 500_000_000_000_000_000n;

/** `users` users start a story of `panels` panels at once (in-flight limit 2) while others draw single panels. */
export async function runStoryScenario(options: {
	users: number;
	panels: number;
	singles: number;
	durationMs: [number, number];
	/** PostgreSQL database of the run (`--pg`); unset: the bot's embedded SQLite. */
	databaseUrl?: string | undefined;
}): Promise<StoryBenchResult> {
	const [discord, civitai, orchestrator, openai] = await Promise.all([
		startFakeDiscord(),
		startFakeCivitai(),
		startFakeOrchestrator({ imageTtlMs: 600_000 }),
		startFakeOpenAI(),
	]);
	const [low, high] = options.durationMs;
	orchestrator.behaviour = () => ({ durationMs: Math.round(low + Math.random() * (high - low)), outcome: 'succeeded' });
	openai.reply = (request) => {
		const user = request.messages.find((message) => message.role === 'user')?.content ?? '';
		if (!request.messages.some((message) => message.content.startsWith('You plan comics'))) return defaultReply(request);
		const tag = /story of (\d+)/.exec(user)?.[1] ?? '0';
		return JSON.stringify({
			panels: Array.from({ length: options.panels }, (_, n) => ({ description: `u${tag}p${n + 1} the hero runs`, characters: ['Hero'] })),
		});
	};
	civitai.addModelVersion(modelVersion({ id: 900101, modelId: 900100, baseModel: 'SDXL 1.0', trainedWords: ['herochar'], model: { name: 'Hero' } }));
	const dataDir = mkdtempSync(join(tmpdir(), 'comic-bench-story-'));
	const port = await freePort();
	const bot = startBotProcess(
		{
			DISCORD_TOKEN: discord.botToken,
			DISCORD_API_URL: discord.apiUrl,
			CIVITAI_API_URL: civitai.url,
			CIVITAI_API_TOKEN: orchestrator.token,
			ORCHESTRATOR_URL: orchestrator.url,
			IMAGE_HOSTS: orchestrator.url,
			OPENAI_API_KEY: openai.apiKey,
			OPENAI_BASE_URL: openai.url,
			DATA_DIR: dataDir,
			LOG_LEVEL: 'warn',
			MAX_PANELS_PER_USER_PER_DAY: '1000',
			MAX_PANELS_IN_FLIGHT_PER_USER: '2',
			...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
			PORT: String(port),
			HOST: '127.0.0.1',
		},
		dataDir,
		join(dataDir, 'bot.log'),
	);
	const started = Date.now();
	try {
		await discord.waitFor(() => discord.connections > 0 || undefined, 60_000);
		const users = Array.from({ length: options.users }, (_, index) => String(USER_BASE + BigInt(index)));
		const others = Array.from({ length: options.singles }, (_, index) => String(USER_BASE + 10_000n + BigInt(index)));
		await setUp(discord, [...users, ...others]);
		const plans = users.map((userId, index) =>
			discord.sendCommand({ subcommand: 'story', userId, options: { project: 'Bench', story: `A story of ${index}`, panels: options.panels } }),
		);
		const replies = await discord.waitFor(() => {
			const found = plans.map((sent) => discord.originalMessage(sent.id));
			return found.every((message) => message?.content.includes('Story plan')) ? found : undefined;
		}, 120_000);
		// Every Draw all at once.
		for (const [index, message] of replies.entries()) {
			const customId = /"custom_id":"(story:draw:[^"]+)"/.exec(JSON.stringify(message?.components))?.[1] ?? '';
			discord.sendButton({ customId, messageId: message?.id ?? '', userId: users[index] });
		}
		// Single panels of other users, one every 200 ms, while the stories run.
		const singles: { id: string; at: number }[] = [];
		for (const userId of others) {
			singles.push({
				...discord.sendCommand({ subcommand: 'panel', userId, options: { project: 'Bench', prompt: 'a single panel', enhance: false } }),
				at: Date.now(),
			});
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		const total = options.users * options.panels + options.singles;
		const database = await openDatabase({ dataDir, databaseUrl: options.databaseUrl });
		try {
			const deadline = Date.now() + 600_000;
			while (Date.now() < deadline && (await database.db.drawing.count({ where: { delivery: 'delivered' } })) < total)
				await new Promise((resolve) => setTimeout(resolve, 500));
			const drawings = await database.db.drawing.findMany({
				where: { ownerId: { in: users } },
				select: { ownerId: true, submittedAt: true, completedAt: true, status: true },
			});
			const gaps: number[] = [];
			let peakPerUser = 0;
			for (const userId of users) {
				const mine = drawings.filter((drawing) => drawing.ownerId === userId);
				const ends = mine.flatMap((drawing) => (drawing.completedAt ? [drawing.completedAt.getTime()] : [])).sort((a, b) => a - b);
				const starts = mine.flatMap((drawing) => (drawing.submittedAt ? [drawing.submittedAt.getTime()] : [])).sort((a, b) => a - b);
				// The k-th end frees the slot the (k+2)-th submission takes.
				for (let k = 0; k + 2 < starts.length; k++) gaps.push((starts[k + 2] ?? Number.NaN) - (ends[k] ?? Number.NaN));
				const events = [...starts.map((at) => ({ at, d: 1 })), ...ends.map((at) => ({ at, d: -1 }))].sort((a, b) => a.at - b.at || a.d - b.d);
				let running = 0;
				for (const event of events) {
					running += event.d;
					peakPerUser = Math.max(peakPerUser, running);
				}
			}
			const acks = singles.map(
				(single) => (discord.requests.find((request) => request.path.startsWith(`/interactions/${single.id}/`))?.at ?? Number.NaN) - single.at,
			);
			return {
				users: options.users,
				panelsPerStory: options.panels,
				drawn: drawings.filter((drawing) => drawing.status === 'ready').length,
				slotToSubmission: stats(gaps),
				singleAck: stats(acks),
				peakPerUser,
				seconds: (Date.now() - started) / 1000,
			};
		} finally {
			await database.close();
		}
	} finally {
		await bot.stop();
		await Promise.all([discord.close(), civitai.close(), orchestrator.close(), openai.close()]);
		rmSync(dataDir, { recursive: true, force: true });
	}
}

async function setUp(discord: FakeDiscord, users: readonly string[]): Promise<void> {
	for (let start = 0; start < users.length; start += 25) {
		const batch = users.slice(start, start + 25);
		const created = batch.map((userId) => discord.sendCommand({ group: 'project', subcommand: 'create', userId, options: { name: 'Bench' } }));
		await discord.waitFor(() => created.every((sent) => discord.originalMessage(sent.id)) || undefined, 30_000);
		const added = batch.map((userId) => discord.sendCommand({ group: 'character', subcommand: 'add', userId, options: { project: 'Bench', model: '900101' } }));
		await discord.waitFor(() => added.every((sent) => discord.originalMessage(sent.id)?.content.includes('Added')) || undefined, 30_000);
	}
}
