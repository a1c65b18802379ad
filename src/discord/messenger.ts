import { createHash } from 'node:crypto';
import type { REST, RawFile } from '@discordjs/rest';
import { Routes } from 'discord.js';
import type { DeliveryResult, PanelMessenger, PanelView } from '../comic/panels/panelDeps.ts';
import type { ImageStore } from '../images/imageStore.ts';
import type { Log } from '../log.ts';
import { asNewMessage, renderPanel, type PanelMessage } from './render.ts';

/** The interaction token lives 15 minutes; past this age the bot token is used instead. */
export const TOKEN_SAFE_AGE_MS = 14 * 60 * 1000;

const DEAD_TOKEN_CODES = new Set([50027, 10015]);
const UNKNOWN_MESSAGE = 10008;
const NO_ACCESS_CODES = new Set([50001, 50013]);

type Attempt = { readonly ok: true; readonly messageId: string | undefined } | { readonly ok: false; readonly error: unknown };

/**
 * Shows a panel in Discord, by the first route that works: edit the original reply through the
 * interaction webhook while its token is young; edit the same message with the bot token; post a
 * new message in the channel. A dead token is remembered on the panel and never called again.
 */
export function createPanelMessenger(deps: { rest: REST; images: ImageStore; log: Log; now?: () => number }): PanelMessenger {
	const now = deps.now ?? Date.now;
	return async (panel: PanelView): Promise<DeliveryResult> => {
		const log = deps.log.child({ panelId: panel.id, interactionId: panel.interactionId });
		const image = panel.status === 'ready' && panel.imagePath ? await deps.images.read(panel.imagePath) : undefined;
		const message = renderPanel(panel, image);
		let tokenDead = panel.tokenDead;
		let last: unknown;

		const young = now() - panel.interactionCreatedAt.getTime() < TOKEN_SAFE_AGE_MS;
		if (!tokenDead && young) {
			const attempt = await tryCall(() => deps.rest.patch(Routes.webhookMessage(panel.applicationId, panel.interactionToken), { body: message.body, files: files(message), auth: false }));
			if (attempt.ok) return { ok: true, messageId: attempt.messageId, tokenDead };
			last = attempt.error;
			if (isDeadToken(attempt.error)) tokenDead = true;
			else if (!isCode(attempt.error, UNKNOWN_MESSAGE)) return failure(attempt.error, tokenDead);
			log.info({ err: attempt.error }, 'interaction token unusable; editing with the bot token');
		} else if (!young) {
			tokenDead = true;
		}

		if (panel.messageId && !isCode(last, UNKNOWN_MESSAGE)) {
			const attempt = await tryCall(() => deps.rest.patch(Routes.channelMessage(panel.channelId, panel.messageId ?? ''), { body: message.body, files: files(message) }));
			if (attempt.ok) return { ok: true, messageId: attempt.messageId, tokenDead };
			last = attempt.error;
			if (!isCode(attempt.error, UNKNOWN_MESSAGE) && !isNoAccess(attempt.error)) return failure(attempt.error, tokenDead);
			log.info({ err: attempt.error }, 'cannot edit the panel message; posting a new one');
		}

		// Only the final state is worth a new message; progress is not.
		if (panel.status !== 'ready' && panel.status !== 'failed') return failure(last ?? new Error('no way to edit the panel message'), tokenDead);
		const attempt = await tryCall(() => deps.rest.post(Routes.channelMessages(panel.channelId), { body: asNewMessage(panel, message, nonceFor(panel.id)), files: files(message) }));
		if (attempt.ok) return { ok: true, messageId: attempt.messageId, tokenDead };
		return failure(attempt.error, tokenDead);
	};
}

/** Discord drops a second message with the same nonce: a retried post after a crash is not a duplicate. */
export function nonceFor(panelId: string): string {
	return createHash('sha256').update(panelId).digest('base64url').slice(0, 25);
}

function files(message: PanelMessage): RawFile[] {
	return message.files.map((file) => ({ name: file.name, data: file.data, contentType: file.contentType }));
}

async function tryCall(call: () => Promise<unknown>): Promise<Attempt> {
	try {
		const answer = await call();
		const id = typeof answer === 'object' && answer !== null && 'id' in answer && typeof answer.id === 'string' ? answer.id : undefined;
		return { ok: true, messageId: id };
	} catch (error) {
		return { ok: false, error };
	}
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

function isCode(error: unknown, code: number): boolean {
	return discordError(error).code === code;
}

function isDeadToken(error: unknown): boolean {
	const { status, code } = discordError(error);
	return status === 401 || (code !== undefined && DEAD_TOKEN_CODES.has(code));
}

function isNoAccess(error: unknown): boolean {
	const { code } = discordError(error);
	return code !== undefined && NO_ACCESS_CODES.has(code);
}

function failure(error: unknown, tokenDead: boolean): DeliveryResult {
	const { status, code } = discordError(error);
	// 4xx other than 429 will not pass by being tried again; 5xx, 429 and network trouble may.
	const retryable = status === 0 || status === 429 || status >= 500;
	const reason = error instanceof Error ? `${error.name}${code ? `[${code}]` : ''} ${status || ''}`.trim() : 'unknown error';
	return { ok: false, retryable, reason, tokenDead };
}
