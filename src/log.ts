import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';
import { createScrubber, scrubDeep, type Scrub } from './scrub.ts';

export type Log = Logger;

/**
 * Fields that are a secret by name are censored wherever they sit, including interaction tokens
 * kept on panels and Authorization headers of failed requests.
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
	'apiKey',
	'*.apiKey',
	'config.DISCORD_TOKEN',
	'config.CIVITAI_API_TOKEN',
	'config.OPENAI_API_KEY',
	'config.CALLBACK_SECRET',
	'DISCORD_TOKEN',
	'CIVITAI_API_TOKEN',
	'OPENAI_API_KEY',
	'CALLBACK_SECRET',
	// Users' own Civitai keys (as a modal's field is named) and the key that seals them.
	'api_key',
	'*.api_key',
	'key',
	'*.key',
	'config.ENCRYPTION_KEY',
	'ENCRYPTION_KEY',
];

/**
 * The logger. `secrets` are the configured credentials: their exact values never reach the output.
 * Credentials that are not fields of their own (an interaction token inside a failed webhook call's
 * URL or message, a signed image URL, a callback URL's signature) are scrubbed from every error
 * (`err`), and, as a last net, from every line written, whichever key or message carried them.
 */
export function createLog(level: string, destination?: DestinationStream, secrets: readonly (string | undefined)[] = []): Log {
	const scrub = createScrubber(secrets);
	return pino(
		{
			level,
			redact: { paths: redactPaths, censor: '[redacted]' },
			serializers: { err: errSerializer(scrub) },
			hooks: { streamWrite: scrub },
			base: { pid: process.pid },
		},
		destination,
	);
}

/**
 * pino's error serializer, then every string of the result scrubbed: a DiscordAPIError carries the
 * webhook URL with the token in `url` and its request (with the upload's bytes) in `requestBody`;
 * a RateLimitError the token in `majorParameter`; our HttpError signed URLs in `url` and `body`.
 */
function errSerializer(scrub: Scrub): (error: unknown) => unknown {
	return (error) => {
		if (!(error instanceof Error)) return scrubDeep(error, scrub);
		const serialized = stdSerializers.err(error);
		// In place, so that pino's error prototype (and its non-enumerable `raw`) stays.
		for (const [key, value] of Object.entries(serialized)) Reflect.set(serialized, key, scrubDeep(value, scrub));
		return serialized;
	};
}
