// The real entry point (src/main.ts) in a child process, against the fakes of this test process:
// tests can kill it with SIGKILL at any point of a panel's life, stop it with SIGTERM, and start it
// again on the same DATA_DIR and database.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openDatabase, type Database } from '../src/db/database.ts';
import { startFakes } from './fakes/all.ts';
import type { FakeCivitai } from './fakes/civitai.ts';
import type { CommandInput, FakeDiscord, FakeMessage } from './fakes/discord.ts';
import type { FakeOpenAI } from './fakes/openai.ts';
import type { FakeOrchestrator } from './fakes/orchestrator.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
// `node --import tsx` keeps the bot in one process: the tsx CLI would put it in a grandchild that a SIGKILL misses.
const tsxLoader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const running = new Set<ChildProcess>();

export interface BotProcess {
	readonly pid: number;
	/** stdout and stderr, line by line (pino JSON). */
	readonly output: string[];
	/** Resolves with the exit code (null when killed by a signal). */
	readonly exited: Promise<number | null>;
	/** SIGKILL: no handler runs, nothing is flushed. */
	crash(): Promise<void>;
	/** SIGTERM, and how long the process took to exit. */
	terminate(): Promise<{ code: number | null; ms: number }>;
}

/** Everything a restart test shares: the fakes, one DATA_DIR and database, and a view of that database. */
export interface Stage {
	readonly discord: FakeDiscord;
	readonly civitai: FakeCivitai;
	readonly orchestrator: FakeOrchestrator;
	readonly openai: FakeOpenAI;
	readonly env: Record<string, string>;
	/** The test's own connection to the bot's database, opened after the first start. */
	db(): Database['db'];
	/** Starts `src/main.ts` and waits until it is connected to Discord and polling. */
	start(extraEnv?: Record<string, string>): Promise<BotProcess>;
	/** Sends a `/comic` command and waits until the bot has acknowledged it. */
	command(input: CommandInput): Promise<{ id: string; token: string; reply: FakeMessage }>;
	close(): Promise<void>;
}

export async function startStage(env: Record<string, string> = {}): Promise<Stage> {
	const fakes = await startFakes('comic-restart-');
	const { discord, civitai, orchestrator, openai, dataDir } = fakes;
	const stageEnv: Record<string, string> = { ...fakes.env, PANEL_LEASE_SECONDS: '2', ...env };
	let view: Database | undefined;
	return {
		discord,
		civitai,
		orchestrator,
		openai,
		env: stageEnv,
		db() {
			if (!view) throw new Error('start the bot once before reading its database');
			return view.db;
		},
		async start(extraEnv = {}) {
			const bot = spawnBot({ ...stageEnv, ...extraEnv }, dataDir);
			try {
				await waitFor(
					() => bot.output.some((line) => line.includes('"job runner started"')),
					20_000,
					() => `the bot did not start:\n${bot.output.join('\n')}`,
				);
				await discord.waitFor(() => discord.connections > 0 || undefined);
			} catch (error) {
				await bot.crash();
				throw error;
			}
			view ??= await openDatabase({ databaseUrl: fakes.env.DATABASE_URL, dataDir });
			return bot;
		},
		async command(input) {
			const sent = discord.sendCommand(input);
			await discord.waitFor(() => (discord.callbacks.get(sent.id)?.length ?? 0) > 0 || undefined, 15_000);
			const reply = await discord.waitFor(() => discord.originalMessage(sent.id));
			return { ...sent, reply };
		},
		async close() {
			await killAllBots();
			await view?.close();
			await fakes.close();
		},
	};
}

function spawnBot(env: Record<string, string>, cwd: string): BotProcess {
	// cwd is the data folder, so a developer's .env never leaks into the test.
	const child = spawn(process.execPath, ['--import', tsxLoader, join(root, 'src/main.ts')], {
		cwd,
		env: { PATH: process.env.PATH ?? '', ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	running.add(child);
	const output: string[] = [];
	const collect = (chunk: Buffer) =>
		output.push(
			...chunk
				.toString()
				.split('\n')
				.filter((line) => line !== ''),
		);
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const exited = new Promise<number | null>((resolve) => {
		child.once('exit', (code) => {
			running.delete(child);
			resolve(code);
		});
	});
	return {
		pid: child.pid ?? 0,
		output,
		exited,
		async crash() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
			await exited;
		},
		async terminate() {
			const started = Date.now();
			child.kill('SIGTERM');
			const code = await exited;
			return { code, ms: Date.now() - started };
		},
	};
}

/** Kills every bot process still running; for afterAll and failed starts. */
export async function killAllBots(): Promise<void> {
	const children = [...running];
	for (const child of children) child.kill('SIGKILL');
	await Promise.all(
		children.map((child) => (child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((resolve) => child.once('exit', resolve)))),
	);
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, explain: () => string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${explain()}`);
		await sleep(25);
	}
}
