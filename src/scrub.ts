/** Turns a text that may hold a credential into one that does not. */
export type Scrub = (text: string) => string;

const REDACTED = '[redacted]';

/** Secrets shorter than this are not searched for: a short value would blank out ordinary words. */
const MIN_SECRET_LENGTH = 8;

// Discord's webhook and interaction routes carry the interaction token as the segment after the id:
// `/webhooks/{application}/{token}/messages/@original`, `/interactions/{id}/{token}/callback`.
// Written `:token`, like the bucket routes of @discordjs/rest, so a log still names the route.
const TOKEN_SEGMENT = /(\/(?:webhooks|interactions)\/[^/?#\s"'\\]+\/)[^/?#\s"'\\]+/g;
// An interaction token is base64 of `interaction:{id}:…`; found wherever it sits (e.g. a rate
// limit's major parameter `{application}/{token}`).
const INTERACTION_TOKEN = /aW50ZXJhY3Rpb24[\w.=-]*/g;
// A bot token: three dot-separated base64url parts, the first the bot's id.
const BOT_TOKEN = /\b[MNO][\w-]{23,27}\.[\w-]{6}\.[\w-]{27,}/g;
const AUTHORIZATION = /\b(Bearer|Bot)\s+[\w.~+/=-]{8,}/g;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"'\\]*):[^/\s@"'\\]+@/gi;
const QUERY_PARAMETER = /([?&])([^=&#\s"'\\]+)=([^&#\s"'\\]*)/g;
// Signed URLs (S3 `X-Amz-*`, Azure SAS `sig`/`se`/`sp`…, our callbacks' `sig`) and API keys in queries.
const SECRET_PARAMETER =
	/^(?:x-amz-|x-goog-)|(?:^|[-_.])(?:sig|signature|auth|authorization|secret|password|credential)s?(?:$|[-_.])|^(?:token|key)|(?:token|key)s?$|^(?:se|sp|sv|sr|st|skoid|sktid)$/i;

/**
 * A scrubber for the given secrets (the configured tokens and keys: their exact values, also
 * URL-encoded and JSON-escaped) and for every credential shape the bot's logs may meet.
 */
export function createScrubber(secrets: readonly (string | undefined)[] = []): Scrub {
	const literals = [
		...new Set(
			secrets
				.filter((secret): secret is string => secret !== undefined && secret.length >= MIN_SECRET_LENGTH)
				.flatMap((secret) => [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]),
		),
	].sort((a, b) => b.length - a.length);
	return (text) => {
		let scrubbed = text;
		for (const literal of literals) if (scrubbed.includes(literal)) scrubbed = scrubbed.replaceAll(literal, REDACTED);
		return scrubbed
			.replace(TOKEN_SEGMENT, '$1:token')
			.replace(INTERACTION_TOKEN, REDACTED)
			.replace(BOT_TOKEN, REDACTED)
			.replace(AUTHORIZATION, `$1 ${REDACTED}`)
			.replace(URL_PASSWORD, `$1:${REDACTED}@`)
			.replace(QUERY_PARAMETER, (whole, separator: string, name: string) => (SECRET_PARAMETER.test(name) ? `${separator}${name}=${REDACTED}` : whole));
	};
}

/**
 * A copy of `value` with every string scrubbed and binary data (a failed upload's files) reduced
 * to its size. Bounded in depth, and safe with cycles.
 */
export function scrubDeep(value: unknown, scrub: Scrub, depth = 0, seen = new WeakSet<object>()): unknown {
	if (typeof value === 'string') return scrub(value);
	if (typeof value !== 'object' || value === null) return value;
	if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
	if (depth >= 8 || seen.has(value)) return '[…]';
	seen.add(value);
	if (Array.isArray(value)) return value.map((item) => scrubDeep(item, scrub, depth + 1, seen));
	const copy: Record<string, unknown> = {};
	for (const [key, item] of Object.entries(value)) copy[key] = scrubDeep(item, scrub, depth + 1, seen);
	return copy;
}
