import { Writable } from 'node:stream';
import { DiscordAPIError, HTTPError, RateLimitError } from '@discordjs/rest';
import { expect, test } from 'vitest';
import { createLog } from '../../src/log.ts';
import { HttpError } from '../../src/net/httpError.ts';
import { createScrubber } from '../../src/scrub.ts';
import { randomToken } from '../fakes/discord-interactions.ts';

const APP = '123456789012345678';
const token = randomToken();
// A made-up bot token of the real shape (id, timestamp, HMAC).
const botToken = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB';
const scrub = createScrubber(['sk-live-0123456789abcdef', 'short', undefined]);

test('the token segment of webhook and interaction routes is replaced by :token, the route stays readable', () => {
	expect(scrub(`PATCH https://discord.com/api/v10/webhooks/${APP}/${token}/messages/%40original`)).toBe(
		`PATCH https://discord.com/api/v10/webhooks/${APP}/:token/messages/%40original`,
	);
	expect(scrub(`/interactions/${APP}/opaque-token_123/callback?with_response=true`)).toBe(`/interactions/${APP}/:token/callback?with_response=true`);
	expect(scrub(`/webhooks/${APP}/some.other-token`)).toBe(`/webhooks/${APP}/:token`);
	expect(scrub('/webhooks/:id/:token/messages/:id')).toBe('/webhooks/:id/:token/messages/:id');
});

test('an interaction token is found outside a URL too, e.g. in a rate limit major parameter', () => {
	expect(scrub(`majorParameter ${APP}/${token} done`)).toBe(`majorParameter ${APP}/[redacted] done`);
});

test('Bearer and Bot authorization values and bare bot tokens are scrubbed', () => {
	expect(scrub('authorization: Bearer abc.DEF-123_xyz')).toBe('authorization: Bearer [redacted]');
	expect(scrub(`Authorization: Bot ${botToken}`)).toBe('Authorization: Bot [redacted]');
	expect(scrub(`the token ${botToken} leaked`)).toBe('the token [redacted] leaked');
	// Words, not credentials: left alone.
	expect(scrub('A valid bearer token is required. Bot is online.')).toBe('A valid bearer token is required. Bot is online.');
});

test('query parameters named like a credential lose their value, the others stay', () => {
	expect(scrub('https://orchestration.civitai.com/blobs/blob_1?sig=0a1b2c3d&exp=1700000000')).toBe(
		'https://orchestration.civitai.com/blobs/blob_1?sig=[redacted]&exp=1700000000',
	);
	expect(
		scrub('https://bucket.s3.amazonaws.com/a.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20240101&X-Amz-Signature=deadbeef&width=512'),
	).toBe('https://bucket.s3.amazonaws.com/a.png?X-Amz-Algorithm=[redacted]&X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]&width=512');
	expect(scrub('https://x.blob.core.windows.net/c/a.png?sv=2024-01-01&se=2024-01-02&sp=r&sig=abc%3D')).toBe(
		'https://x.blob.core.windows.net/c/a.png?sv=[redacted]&se=[redacted]&sp=[redacted]&sig=[redacted]',
	);
	expect(scrub('https://api.example.com/v1?token=t0k&api_key=k3y&access_token=a&auth=z&signature=s&design=round&page=2')).toBe(
		'https://api.example.com/v1?token=[redacted]&api_key=[redacted]&access_token=[redacted]&auth=[redacted]&signature=[redacted]&design=round&page=2',
	);
});

test('an orchestrator callback URL keeps its panel id but not its signature', () => {
	expect(scrub('https://bot.example.com/callbacks/orchestrator/panel_1?sig=q1w2e3r4t5y6')).toBe(
		'https://bot.example.com/callbacks/orchestrator/panel_1?sig=[redacted]',
	);
});

test('a password in a URL is scrubbed', () => {
	expect(scrub('postgres://comic:hunter2hunter2@db:5432/comic')).toBe('postgres://comic:[redacted]@db:5432/comic');
});

test('configured secrets are scrubbed wherever they appear, also URL-encoded; secrets too short to search for are not', () => {
	const secret = 'p@ss/word "with" quotes';
	const withQuotes = createScrubber([secret]);
	expect(withQuotes(`a ${secret} b`)).toBe('a [redacted] b');
	expect(withQuotes(`?x=${encodeURIComponent(secret)}`)).toBe('?x=[redacted]');
	expect(withQuotes(JSON.stringify({ message: `key ${secret}` }))).toBe('{"message":"key [redacted]"}');
	expect(scrub('called with sk-live-0123456789abcdef today')).toBe('called with [redacted] today');
	expect(scrub('a short answer')).toBe('a short answer');
});

function capture(secrets: readonly string[] = []) {
	const lines: string[] = [];
	const sink = new Writable({
		write(chunk: Buffer, _encoding, done) {
			lines.push(chunk.toString());
			done();
		},
	});
	return { log: createLog('debug', sink, secrets), lines };
}

test('a DiscordAPIError is logged with its route, status and code, without the token and without the upload bytes', () => {
	const { log, lines } = capture();
	const url = `https://discord.com/api/v10/webhooks/${APP}/${token}/messages/%40original`;
	const error = new DiscordAPIError({ code: 50027, message: 'Invalid Webhook Token' }, 50027, 401, 'PATCH', url, {
		files: [{ name: 'panel.png', data: Buffer.alloc(2048) }],
		body: { content: 'done' },
	});
	log.info({ err: error }, `edit of ${url} failed`);
	const [line = ''] = lines;
	expect(line).not.toContain(token);
	const entry = JSON.parse(line);
	expect(entry.msg).toBe(`edit of https://discord.com/api/v10/webhooks/${APP}/:token/messages/%40original failed`);
	expect(entry.err).toMatchObject({
		type: 'DiscordAPIError',
		message: 'Invalid Webhook Token',
		status: 401,
		code: 50027,
		method: 'PATCH',
		url: `https://discord.com/api/v10/webhooks/${APP}/:token/messages/%40original`,
		requestBody: { files: [{ name: 'panel.png', data: '[2048 bytes]' }], json: { content: 'done' } },
	});
});

test('an HTTPError, a RateLimitError and our HttpError are scrubbed alike', () => {
	const { log, lines } = capture(['civitai-key-0123456789']);
	const webhook = `https://discord.com/api/v10/webhooks/${APP}/${token}/messages/%40original`;
	log.warn({ err: new HTTPError(500, 'Internal Server Error', 'PATCH', webhook, { body: undefined }) }, 'a');
	log.warn(
		{
			err: new RateLimitError({
				timeToReset: 45_000,
				limit: 5,
				method: 'PATCH',
				hash: 'abc',
				url: webhook,
				route: '/webhooks/:id/:token/messages/:id',
				majorParameter: `${APP}/${token}`,
				global: false,
				retryAfter: 45_000,
				sublimitTimeout: 0,
				scope: 'user',
			}),
		},
		'b',
	);
	const signed = 'https://orchestration.civitai.com/blobs/blob_1?sig=0a1b2c3d4e&exp=1700000000';
	log.warn({ err: new HttpError('ImageDownload', 'GET', signed, 403, undefined, { detail: `expired: ${signed}`, key: 'civitai-key-0123456789' }) }, 'c');
	const text = lines.join('');
	expect(text).not.toContain(token);
	expect(text).not.toContain('0a1b2c3d4e');
	expect(text).not.toContain('civitai-key-0123456789');
	const [http, limit, ours] = lines.map((line) => JSON.parse(line).err);
	expect(http).toMatchObject({ status: 500, url: `https://discord.com/api/v10/webhooks/${APP}/:token/messages/%40original` });
	expect(limit).toMatchObject({ route: '/webhooks/:id/:token/messages/:id', majorParameter: `${APP}/[redacted]`, retryAfter: 45_000 });
	expect(ours).toMatchObject({
		status: 403,
		message: 'ImageDownload[403] GET https://orchestration.civitai.com/blobs/blob_1?…',
		url: 'https://orchestration.civitai.com/blobs/blob_1?sig=[redacted]&exp=1700000000',
		body: { detail: 'expired: https://orchestration.civitai.com/blobs/blob_1?sig=[redacted]&exp=1700000000', key: '[redacted]' },
	});
});

test('a secret in a message, a binding or any field is scrubbed from the written line', () => {
	const { log, lines } = capture(['discord-bot-token-value']);
	log.child({ note: 'uses discord-bot-token-value' }).error(new Error('login with discord-bot-token-value failed'));
	log.info({ headers: { Authorization: `Bot ${botToken}` }, interactionToken: token, detail: { deeper: { url: `/webhooks/${APP}/${token}` } } }, 'x');
	const text = lines.join('');
	expect(text).not.toContain('discord-bot-token-value');
	expect(text).not.toContain(token);
	expect(text).not.toContain(botToken);
	expect(JSON.parse(lines[1] ?? '')).toMatchObject({ interactionToken: '[redacted]', detail: { deeper: { url: `/webhooks/${APP}/:token` } } });
});
