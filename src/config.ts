import { validate } from 'node-cron';
import { z } from 'zod';
import { DEFAULT_IMAGE_HOSTS, parseImageHosts } from './net/imageHosts.ts';

/** Settings that are unset when empty: a `.env` copied from `.env.example` has `OPENAI_API_KEY=`. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits), e.g. 1234567890123456789');
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://example.com' }).transform((url) => url.replace(/\/+$/, ''));
// Callbacks must reach the bot from the orchestrator, which sends them over HTTPS only; plain http is for local tests.
const publicUrl = z
	.url({ protocol: /^https?$/, error: 'must be the https URL where the bot can be reached from outside, e.g. https://comics.example.com' })
	.refine(
		(url) => url.startsWith('https:') || ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname),
		'must use https (plain http only for localhost)',
	)
	.transform((url) => url.replace(/\/+$/, ''));
// 32 random bytes in standard base64 are 44 characters ending in one '='.
const encryptionKey = z
	.string()
	.refine(
		(value) => /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32,
		'must be 32 random bytes in base64 (44 characters), e.g. the output of `openssl rand -base64 32`',
	);
const positiveInt = (max: number) =>
	z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);

const wholeOrZero = (max: number) =>
	z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be 0 (none) or more').max(max, `must be at most ${max}`);
const noneWhenZero = (value: number | undefined): number | undefined => (value === 0 ? undefined : value);

const schema = z
	.object({
		DISCORD_TOKEN: z
			.string({ error: 'is required: the bot token from the Discord developer portal (Bot → Reset Token)' })
			.min(1, 'is required: the bot token from the Discord developer portal'),
		DISCORD_APPLICATION_ID: optional(snowflake),
		DISCORD_GUILD_ID: optional(snowflake),
		DISCORD_API_URL: optional(httpUrl).default('https://discord.com/api'),
		CIVITAI_API_URL: optional(httpUrl).default('https://civitai.com'),
		CIVITAI_API_TOKEN: z
			.string({ error: 'is required: a Civitai API key (civitai.com → Account settings → API keys)' })
			.min(1, 'is required: a Civitai API key'),
		ORCHESTRATOR_URL: optional(httpUrl).default('https://orchestration.civitai.com'),
		// Where pictures may be downloaded from: host, *.domain or https://host[:port]; http://host[:port] allows plain http for that host alone.
		IMAGE_HOSTS: optional(z.string())
			.default(DEFAULT_IMAGE_HOSTS)
			.transform((value, context) => {
				try {
					return parseImageHosts(value);
				} catch (error) {
					context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'is not a list of hosts' });
					return z.NEVER;
				}
			}),
		OPENAI_API_KEY: optional(z.string()),
		// Seals users' own Civitai keys (AES-256-GCM); unset, `/comic account link` is refused.
		ENCRYPTION_KEY: optional(encryptionKey),
		// Earlier ENCRYPTION_KEYs, comma-separated: they still open what they sealed; new seals use ENCRYPTION_KEY.
		ENCRYPTION_KEYS_OLD: optional(
			z
				.string()
				.transform((value) =>
					value
						.split(',')
						.map((key) => key.trim())
						.filter((key) => key !== ''),
				)
				.pipe(z.array(encryptionKey)),
		).default([]),
		OPENAI_BASE_URL: optional(httpUrl),
		OPENAI_MODEL: optional(z.string().min(1)).default('gpt-4o-mini'),
		DATA_DIR: optional(z.string()).default('./data'),
		DATABASE_URL: optional(
			z.string().regex(/^postgres(ql)?:\/\/.+/, 'must be a PostgreSQL URL (postgres://user:password@host:5432/db); leave it unset for the embedded database'),
		),
		POLL_INTERVAL_SECONDS: optional(positiveInt(60)).default(3),
		// `fixed` reads every running workflow every POLL_INTERVAL_SECONDS, as the original plan did (the benchmark's baseline).
		POLL_SCHEDULE: optional(z.enum(['adaptive', 'fixed'], { error: 'must be adaptive or fixed' })).default('adaptive'),
		// Progress edits of panel messages while queued or drawing (queue position, time left).
		PANEL_PROGRESS: optional(z.enum(['on', 'off'], { error: 'must be on or off' })).default('on'),
		// A claim on a panel, renewed while it is worked on; after a crash another process (or the next
		// start) takes the panel over once this has run out.
		PANEL_LEASE_SECONDS: optional(positiveInt(3600)).default(10),
		// On SIGINT/SIGTERM, running deliveries get this long to finish; the rest resumes on the next start.
		// Keep it under the supervisor's own stop timeout (Docker waits 10 s before SIGKILL).
		SHUTDOWN_GRACE_SECONDS: optional(positiveInt(600)).default(8),
		LOG_LEVEL: optional(
			z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' }),
		).default('info'),
		MAX_PANELS_IN_FLIGHT_PER_USER: optional(positiveInt(100)).default(2),
		MAX_PANELS_PER_USER_PER_DAY: optional(positiveInt(100_000)).default(50),
		// Panels of one user past the in-flight limit wait in a queue of this many; beyond, a refusal.
		MAX_PANELS_QUEUED_PER_USER: optional(
			z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be 0 or more').max(1_000, 'must be at most 1000'),
		).default(10),
		MAX_PANELS_PER_GUILD_PER_DAY: optional(positiveInt(1_000_000)),
		// Buzz of the bot's key per user and per server in any 24 hours, counted in the limits ledger; 0 or unset = none.
		MAX_BUZZ_PER_USER_PER_DAY: optional(wholeOrZero(100_000_000)).transform(noneWhenZero),
		MAX_BUZZ_PER_GUILD_PER_DAY: optional(wholeOrZero(100_000_000)).transform(noneWhenZero),
		// Story plans (each one or two LLM calls, and a stored plan) per user in any 24 hours.
		MAX_STORY_PLANS_PER_USER_PER_DAY: optional(positiveInt(10_000)).default(20),
		// A story plan older than this can no longer be drawn, and is removed.
		STORY_PLAN_TTL_MINUTES: optional(positiveInt(7 * 24 * 60)).default(60),
		MAX_PROJECTS_PER_USER: optional(positiveInt(100_000)).default(50),
		MAX_CHARACTERS_PER_PROJECT: optional(positiveInt(10_000)).default(25),
		// How long one call may take. The contract gives the prompt rewrite at most 10 s in all.
		ORCHESTRATOR_TIMEOUT_SECONDS: optional(positiveInt(100)).default(30),
		OPENAI_TIMEOUT_SECONDS: optional(positiveInt(10)).default(8),
		// A story's plan (both tries) gets this long; the user waits for it behind a deferral.
		STORY_PLAN_TIMEOUT_SECONDS: optional(positiveInt(28)).default(25),
		// Passing orchestrator trouble (429, 5xx, timeouts) is tried this many times in all, the waits
		// starting at the base and doubling with jitter (capped at 30 s), before the user is told.
		ORCHESTRATOR_RETRY_ATTEMPTS: optional(positiveInt(20)).default(6),
		ORCHESTRATOR_RETRY_BASE_MS: optional(positiveInt(60_000)).default(1_000),
		// Free but heavy work (exports, reader pages, contact sheets, new words lettered): at most this many
		// at once in a process; one more waits up to RENDER_WAIT_SECONDS, then is told to try again.
		MAX_CONCURRENT_RENDERS: optional(positiveInt(64)).default(2),
		RENDER_WAIT_SECONDS: optional(
			z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be 0 or more').max(120, 'must be at most 120'),
		).default(10),
		// A user's word changes (each letters the panel's pictures again, free) come at most this often; 0: no wait.
		RERENDER_COOLDOWN_SECONDS: optional(
			z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be 0 or more').max(3_600, 'must be at most 3600'),
		).default(5),
		// `/comic panel` checks a command before acknowledging it (a refusal is then a plain private reply) for at most
		// this long; past it, a busy bot acknowledges first and finishes checking (docs/decisions/006).
		CHECKS_BEFORE_ACK_MS: optional(
			z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be 0 or more').max(2_000, 'must be at most 2000'),
		).default(150),
		// A published post's starter message notes panels drawn since it was published: at most one edit per
		// post per this many seconds (what happens meanwhile is collapsed into that one edit).
		PUBLISH_ACTIVITY_SECONDS: optional(positiveInt(86_400)).default(60),
		// When picture files no row points at are removed from DATA_DIR (a cron expression, in the process's time zone).
		STORAGE_SWEEP_CRON: optional(z.string().refine((value) => validate(value), 'must be a cron expression, e.g. 17 4 * * * (daily at 04:17)')).default(
			'17 4 * * *',
		),
		INTERACTIONS_MODE: optional(
			z.enum(['gateway', 'http'], {
				error: 'must be gateway (a websocket to Discord, the default) or http (Discord POSTs interactions to PUBLIC_URL/interactions)',
			}),
		).default('gateway'),
		DISCORD_PUBLIC_KEY: optional(
			z.string().regex(/^[0-9a-fA-F]{64}$/, "must be the application's public key: 64 hex characters (developer portal → General Information → Public Key)"),
		),
		PORT: optional(
			z.coerce
				.number({ error: 'must be a port number' })
				.int('must be a port number')
				.min(0, 'must be a port number (0 to 65535)')
				.max(65_535, 'must be a port number (0 to 65535)'),
		),
		HOST: optional(z.string().min(1)).default('0.0.0.0'),
		PUBLIC_URL: optional(publicUrl),
		// When set, GET /metrics answers only `Authorization: Bearer <this>` (401 otherwise).
		METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters, e.g. the output of `openssl rand -hex 32`')),
		// How often the panel gauges and DATA_DIR's size behind /metrics are computed; scrapes read the last values.
		METRICS_REFRESH_SECONDS: optional(positiveInt(3600)).default(15),
		CALLBACK_SECRET: optional(z.string().min(32, 'must be at least 32 characters, e.g. the output of `openssl rand -hex 32`')),
		DISCORD_SHARDS: optional(
			z.union([z.literal('auto'), z.coerce.number().int().min(1).max(1_000)], {
				error: 'must be auto or a number of shards (1 to 1000), e.g. DISCORD_SHARDS=auto',
			}),
		),
	})
	.superRefine(
		(config, context) => {
			if (config.INTERACTIONS_MODE === 'http' && !config.DISCORD_PUBLIC_KEY) {
				context.addIssue({
					code: 'custom',
					path: ['DISCORD_PUBLIC_KEY'],
					message: "is required when INTERACTIONS_MODE=http: the application's public key, 64 hex characters (developer portal → General Information)",
				});
			}
			if (config.ENCRYPTION_KEYS_OLD.length > 0 && !config.ENCRYPTION_KEY) {
				context.addIssue({
					code: 'custom',
					path: ['ENCRYPTION_KEYS_OLD'],
					message: 'needs ENCRYPTION_KEY: the new key that seals, while these old ones only open what they sealed',
				});
			}
			// Checked even when other settings are wrong, so that every problem is reported in one go.
		},
		{ when: () => true },
	);

export type Config = z.output<typeof schema>;

export class ConfigError extends Error {
	public constructor(public readonly problems: readonly string[]) {
		super(`Invalid configuration:\n${problems.join('\n')}`);
		this.name = 'ConfigError';
	}
}

/** Parses the environment once, at start; the rest of the code receives the result. */
export function parseConfig(env: Record<string, string | undefined>): Config {
	const result = schema.safeParse(env);
	if (result.success) return result.data;
	throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
}

/** discord.js Client options for DISCORD_SHARDS: `auto` asks Discord how many; a number runs that many shards in this process. */
export function shardOptions(shards: Config['DISCORD_SHARDS']): { shards?: 'auto' | number[]; shardCount?: number } {
	if (shards === undefined) return {};
	if (shards === 'auto') return { shards: 'auto' };
	return { shards: Array.from({ length: shards }, (_, id) => id), shardCount: shards };
}
