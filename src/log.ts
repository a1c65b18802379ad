import { pino, type Logger, type DestinationStream } from 'pino';

export type Log = Logger;

/**
 * Secrets never reach a log: anything shaped like a token or key is censored wherever it sits,
 * including interaction tokens kept on panels and Authorization headers of failed requests.
 */
const redactPaths = [
	'token',
	'*.token',
	'interactionToken',
	'*.interactionToken',
	'authorization',
	'*.authorization',
	'*.headers.authorization',
	'*.headers.Authorization',
	'config.DISCORD_TOKEN',
	'config.CIVITAI_API_TOKEN',
	'config.OPENAI_API_KEY',
	'DISCORD_TOKEN',
	'CIVITAI_API_TOKEN',
	'OPENAI_API_KEY',
	// Users' own Civitai keys and the key that seals them.
	'apiKey',
	'*.apiKey',
	'api_key',
	'*.api_key',
	'key',
	'*.key',
	'config.ENCRYPTION_KEY',
	'ENCRYPTION_KEY',
];

export function createLog(level: string, destination?: DestinationStream): Log {
	return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' }, base: { pid: process.pid } }, destination);
}
