import { existsSync } from 'node:fs';
import { startBot } from './app.ts';
import { ConfigError, parseConfig } from './config.ts';

// `.env` fills in what the environment leaves unset; the environment wins.
if (existsSync('.env')) process.loadEnvFile('.env');

let config: ReturnType<typeof parseConfig>;
try {
	config = parseConfig(process.env);
} catch (error) {
	if (!(error instanceof ConfigError)) throw error;
	console.error(
		`The bot cannot start: fix these settings (environment or .env) and start it again.\n${error.problems.map((problem) => `  ${problem}`).join('\n')}`,
	);
	process.exit(1);
}

try {
	const bot = await startBot(config);
	let stopping = false;
	const shutdown = (signal: string) => {
		if (stopping) {
			// A second signal: whoever sent it will not wait. Nothing is lost, the leases run out.
			bot.log.warn({ signal }, 'stopping at once');
			process.exit(1);
		}
		stopping = true;
		bot.log.info({ signal, graceSeconds: config.SHUTDOWN_GRACE_SECONDS }, 'shutting down');
		bot.stop().then(
			() => process.exit(0),
			(error: unknown) => {
				bot.log.error({ err: error }, 'shutdown failed');
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
	// One readable line for the usual start-up failures; details stay in the log level's hands.
	const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
	console.error(`The bot could not start: ${message}`);
	process.exit(1);
}
