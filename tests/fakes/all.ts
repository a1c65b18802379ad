import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '../databases.ts';
import { startFakeCivitai, type FakeCivitai } from './civitai.ts';
import { startFakeDiscord, type FakeDiscord } from './discord.ts';
import { startFakeOpenAI, type FakeOpenAI } from './openai.ts';
import { startFakeOrchestrator, type FakeOrchestrator } from './orchestrator.ts';

/** The four outside services, a data folder and a database: what every run of the bot in a test needs. */
export interface Fakes {
	readonly discord: FakeDiscord;
	readonly civitai: FakeCivitai;
	readonly orchestrator: FakeOrchestrator;
	readonly openai: FakeOpenAI;
	readonly dataDir: string;
	/** The bot's settings pointing at the fakes (PostgreSQL when TEST_DATABASE_URL is set). */
	readonly env: Record<string, string>;
	close(): Promise<void>;
}

export async function startFakes(prefix: string): Promise<Fakes> {
	const [discord, civitai, orchestrator, openai] = await Promise.all([startFakeDiscord(), startFakeCivitai(), startFakeOrchestrator(), startFakeOpenAI()]);
	const dataDir = mkdtempSync(join(tmpdir(), prefix));
	const database = await freshDatabase();
	return {
		discord,
		civitai,
		orchestrator,
		openai,
		dataDir,
		env: {
			DISCORD_TOKEN: discord.botToken,
			DISCORD_API_URL: discord.apiUrl,
			CIVITAI_API_URL: civitai.url,
			CIVITAI_API_TOKEN: orchestrator.token,
			ORCHESTRATOR_URL: orchestrator.url,
			// The fake serves pictures over plain http from 127.0.0.1: allowed for exactly that origin.
			IMAGE_HOSTS: orchestrator.url,
			OPENAI_API_KEY: openai.apiKey,
			OPENAI_BASE_URL: openai.url,
			DATA_DIR: dataDir,
			POLL_INTERVAL_SECONDS: '1',
			LOG_LEVEL: 'debug',
			// Tests change words in quick succession; the cooldown's own test turns it on.
			RERENDER_COOLDOWN_SECONDS: '0',
			// Tests read a refusal as the command's first answer; on a loaded machine a check can take longer than the
			// default 150 ms, and the refusal would then come as a follow-up (tests/e2e/burst.test.ts covers both ways).
			CHECKS_BEFORE_ACK_MS: '1000',
			...(database.url ? { DATABASE_URL: database.url } : {}),
		},
		async close() {
			await Promise.all([discord.close(), civitai.close(), orchestrator.close(), openai.close()]);
			rmSync(dataDir, { recursive: true, force: true });
			await database.drop();
		},
	};
}
