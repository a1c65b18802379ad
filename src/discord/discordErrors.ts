import type { RateLimitData } from '@discordjs/rest';
import type { DeliveryResult } from '../comic/generation/deps.ts';

/** Discord's JSON error codes that decide how a delivery goes on. */
export const DiscordCode = {
	UnknownWebhook: 10015,
	UnknownMessage: 10008,
	MissingAccess: 50001,
	MissingPermissions: 50013,
	InvalidWebhookToken: 50027,
} as const;

/**
 * Rate limits longer than this are not waited out in memory: the REST client throws instead, and
 * the delivery is put off in the database, where it survives a restart and holds no poller slot.
 */
export const LONG_RATE_LIMIT_MS = 30_000;

/** For `rejectOnRateLimit` of @discordjs/rest: shorter waits are honoured by the client itself. */
export function rejectLongRateLimits(limit: RateLimitData): boolean {
	return limit.retryAfter > LONG_RATE_LIMIT_MS;
}

/**
 * Status and Discord error code of a failed REST call. Read structurally: discord.js loads
 * @discordjs/rest through require(), so its errors are not instances of the ESM classes.
 */
export function discordError(error: unknown): { status: number; code: number | undefined } {
	if (typeof error !== 'object' || error === null) return { status: 0, code: undefined };
	const status = 'status' in error && typeof error.status === 'number' ? error.status : 0;
	const code = 'code' in error && typeof error.code === 'number' ? error.code : undefined;
	return { status, code };
}

export function isCode(error: unknown, code: number): boolean {
	return discordError(error).code === code;
}

/** The interaction token is dead (15 minutes passed, or Discord forgot the interaction): never call it again. */
export function isDeadToken(error: unknown): boolean {
	const { status, code } = discordError(error);
	return status === 401 || code === DiscordCode.InvalidWebhookToken || code === DiscordCode.UnknownWebhook;
}

/** The bot may not see or write the channel: asking again changes nothing until an admin does. */
export function isNoAccess(error: unknown): boolean {
	const { code } = discordError(error);
	return code === DiscordCode.MissingAccess || code === DiscordCode.MissingPermissions;
}

/** How long a RateLimitError (thrown through {@link rejectLongRateLimits}) asks to wait. */
function rateLimitWaitMs(error: unknown): number | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	if (!('retryAfter' in error) || typeof error.retryAfter !== 'number' || !('route' in error)) return undefined;
	return error.retryAfter;
}

/**
 * A failed delivery: whether trying again later may help, and a reason for the panel's row and the logs.
 * `failedAt` is when the call failed (the REST client throws a rate limit as soon as it learns of it):
 * a rate limit's `retryAt` is that moment plus its wait, whenever the step that made the call began.
 */
export function deliveryFailure(error: unknown, tokenDead: boolean, failedAt: number = Date.now()): DeliveryResult {
	const { status } = discordError(error);
	const retryAfterMs = rateLimitWaitMs(error);
	// 4xx other than 429 will not pass by being tried again; 5xx, 429, timeouts and network trouble may.
	const retryable = retryAfterMs !== undefined || status === 0 || status === 429 || status >= 500;
	const retryAt = retryAfterMs === undefined ? undefined : failedAt + retryAfterMs;
	return { ok: false, retryable, reason: describe(error), tokenDead, retryAt };
}

/** `DiscordAPIError[50013] 403 Missing Permissions`: Discord's own words, never shown to users. */
function describe(error: unknown): string {
	if (!(error instanceof Error)) return 'unknown error';
	const { status } = discordError(error);
	return [error.name, status || undefined, error.message]
		.filter((part) => part !== undefined && part !== '')
		.join(' ')
		.slice(0, 300);
}
