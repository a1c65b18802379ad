import { z } from 'zod';

/** Settings that are unset when empty: a `.env` copied from `.env.example` has `OPENAI_API_KEY=`. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits), e.g. 1234567890123456789');
const httpUrl = z
	.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://example.com' })
	.transform((url) => url.replace(/\/+$/, ''));
const positiveInt = (max: number) => z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);

const schema = z.object({
	DISCORD_TOKEN: z.string({ error: 'is required: the bot token from the Discord developer portal (Bot → Reset Token)' }).min(1, 'is required: the bot token from the Discord developer portal'),
	DISCORD_APPLICATION_ID: optional(snowflake),
	DISCORD_GUILD_ID: optional(snowflake),
	DISCORD_API_URL: optional(httpUrl).default('https://discord.com/api'),
	CIVITAI_API_URL: optional(httpUrl).default('https://civitai.com'),
	CIVITAI_API_TOKEN: z.string({ error: 'is required: a Civitai API key (civitai.com → Account settings → API keys)' }).min(1, 'is required: a Civitai API key'),
	ORCHESTRATOR_URL: optional(httpUrl).default('https://orchestration.civitai.com'),
	OPENAI_API_KEY: optional(z.string()),
	OPENAI_BASE_URL: optional(httpUrl),
	OPENAI_MODEL: optional(z.string().min(1)).default('gpt-4o-mini'),
	DATA_DIR: optional(z.string()).default('./data'),
	DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\/.+/, 'must be a PostgreSQL URL (postgres://user:password@host:5432/db); leave it unset for the embedded database')),
	POLL_INTERVAL_SECONDS: optional(positiveInt(60)).default(3),
	LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' })).default('info'),
	MAX_PANELS_IN_FLIGHT_PER_USER: optional(positiveInt(100)).default(2),
	MAX_PANELS_PER_USER_PER_DAY: optional(positiveInt(100_000)).default(50),
	MAX_PANELS_PER_GUILD_PER_DAY: optional(positiveInt(1_000_000)),
});

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
