import { createHash } from 'node:crypto';
import type { REST, RawFile } from '@discordjs/rest';
import { Routes } from 'discord.js';
import type { DeliveryResult, PanelMessenger, DrawingView } from '../comic/generation/deps.ts';
import type { ImageStore } from '../images/imageStore.ts';
import type { Log } from '../log.ts';
import { deliveryFailure, DiscordCode, isCode, isDeadToken, isNoAccess } from './discordErrors.ts';
import { shownMessageId } from './panelShown.ts';
import { asNewMessage, type PanelControls, type PanelMessage, renderPanel } from './render.ts';

/** The interaction token lives 15 minutes; past this age the bot token is used instead. */
export const TOKEN_SAFE_AGE_MS = 14 * 60 * 1000;

export interface MessengerDeps {
	readonly rest: REST;
	/**
	 * For calls with an interaction token (no bot token). Discord does not count interaction endpoints
	 * against the bot's global 50 requests/s, but @discordjs/rest counts every request of a client: with
	 * one client, a burst of "being drawn" edits would hold back final deliveries. `rest` when left out.
	 */
	readonly interactionRest?: REST | undefined;
	readonly images: ImageStore;
	readonly log: Log;
	readonly now?: () => number;
	/**
	 * Stores at once that a panel's interaction token is dead. Not left to the step's outcome: a
	 * crash before that is stored must not make the next attempt call the dead token again.
	 */
	readonly onTokenDead?: (drawingId: string) => Promise<void>;
	/** The buttons under each panel message. */
	readonly controls?: PanelControls;
}

/** A failed attempt keeps when it failed: a rate limit's wait counts from then. */
type Attempt = { readonly ok: true; readonly answer: unknown } | { readonly ok: false; readonly error: unknown; readonly at: number };

/**
 * Shows a panel in Discord, by the first route that works: edit the original reply through the
 * interaction webhook while its token is young; edit the same message with the bot token; post a
 * new message in the channel (final states only, with a nonce so a repeated post is not a second
 * message). A dead token is remembered on the panel and never called again.
 */
export function createPanelMessenger(deps: MessengerDeps): PanelMessenger {
	const now = deps.now ?? Date.now;
	return async (panel: DrawingView): Promise<DeliveryResult> => {
		const images = panel.status === 'ready' ? await Promise.all(panel.pictures.map((picture) => deps.images.read(picture.imagePath))) : [];
		return new Delivery(deps, panel, renderPanel(panel, images, deps.controls), now()).run();
	};
}

/** One delivery of one panel: what was learnt on the way (dead token, deleted message) decides the next route. */
class Delivery {
	private readonly log: Log;
	private readonly final: boolean;
	private readonly files: RawFile[];
	private tokenDead: boolean;
	/** The panel's message was deleted: only a new message can show the panel. */
	private gone = false;
	private last: unknown;
	private readonly clock: () => number;
	private readonly webhooks: REST;

	public constructor(
		private readonly deps: MessengerDeps,
		private readonly panel: DrawingView,
		private readonly message: PanelMessage,
		now: number,
	) {
		this.clock = deps.now ?? Date.now;
		this.webhooks = deps.interactionRest ?? deps.rest;
		this.log = deps.log.child({ drawingId: panel.id, panelId: panel.panelId, interactionId: panel.interactionId });
		this.final = panel.status === 'ready' || panel.status === 'failed';
		this.files = message.files.map((file) => ({ name: file.name, data: file.data, contentType: file.contentType }));
		this.tokenDead = panel.tokenDead || now - panel.interactionCreatedAt.getTime() >= TOKEN_SAFE_AGE_MS;
	}

	public async run(): Promise<DeliveryResult> {
		// An old token is known dead without asking Discord.
		if (this.tokenDead && !this.panel.tokenDead) await this.remember();
		// An earlier attempt at the final state may have landed just before a crash: look before writing again.
		if (this.final && this.panel.deliveryStartedAt) {
			const shownId = await this.alreadyShown();
			if (shownId !== undefined) {
				this.log.info({ messageId: shownId }, 'the panel message already shows the final state');
				return this.ok(shownId);
			}
		}
		if (!this.gone && !this.tokenDead) {
			const route = Routes.webhookMessage(this.panel.applicationId, this.panel.interactionToken);
			const attempt = await tryCall(() => this.webhooks.patch(route, { body: this.message.body, files: this.files, auth: false }), this.clock);
			if (attempt.ok) return this.ok(messageIdOf(attempt.answer));
			if (isDeadToken(attempt.error)) await this.markDead(attempt.error);
			else if (isCode(attempt.error, DiscordCode.UnknownMessage)) this.markGone(attempt.error);
			else return this.failure(attempt.error, attempt.at);
		}
		if (!this.gone && this.panel.messageId) {
			const route = Routes.channelMessage(this.panel.channelId, this.panel.messageId);
			const attempt = await tryCall(() => this.deps.rest.patch(route, { body: this.message.body, files: this.files }), this.clock);
			if (attempt.ok) return this.ok(messageIdOf(attempt.answer));
			if (isCode(attempt.error, DiscordCode.UnknownMessage)) this.markGone(attempt.error);
			else if (isNoAccess(attempt.error)) this.cannotEdit(attempt.error);
			else return this.failure(attempt.error, attempt.at);
		}
		// Only the final state is worth a new message; progress is not.
		if (!this.final) return this.failure(this.last ?? new Error('no way to edit the panel message'));
		const body = asNewMessage(this.panel, this.message, nonceFor(this.panel.id));
		const attempt = await tryCall(() => this.deps.rest.post(Routes.channelMessages(this.panel.channelId), { body, files: this.files }), this.clock);
		if (attempt.ok) return this.ok(messageIdOf(attempt.answer));
		return this.failure(attempt.error, attempt.at);
	}

	/** The id of the panel's message when it already shows what this delivery would write. */
	private async alreadyShown(): Promise<string | undefined> {
		if (!this.tokenDead) {
			const route = Routes.webhookMessage(this.panel.applicationId, this.panel.interactionToken);
			const attempt = await tryCall(() => this.webhooks.get(route, { auth: false }), this.clock);
			if (attempt.ok) return shownMessageId(attempt.answer, this.message);
			if (isCode(attempt.error, DiscordCode.UnknownMessage)) return this.markGone(attempt.error);
			if (!isDeadToken(attempt.error)) return undefined;
			await this.markDead(attempt.error);
		}
		if (!this.panel.messageId) return undefined;
		const attempt = await tryCall(() => this.deps.rest.get(Routes.channelMessage(this.panel.channelId, this.panel.messageId ?? '')), this.clock);
		if (attempt.ok) return shownMessageId(attempt.answer, this.message);
		if (isCode(attempt.error, DiscordCode.UnknownMessage)) this.markGone(attempt.error);
		// Anything else: cannot tell, so write again (an edit is harmless, a post carries its nonce).
		return undefined;
	}

	private async markDead(error: unknown): Promise<void> {
		this.log.info({ err: error }, 'interaction token unusable; using the bot token from now on');
		this.tokenDead = true;
		this.last = error;
		if (!this.panel.tokenDead) await this.remember();
	}

	private async remember(): Promise<void> {
		await this.deps.onTokenDead?.(this.panel.id).catch((error: unknown) => this.log.warn({ err: error }, 'could not store that the interaction token is dead'));
	}

	private markGone(error: unknown): undefined {
		this.log.info({ err: error }, 'the panel message was deleted; a new message will show the panel');
		this.gone = true;
		this.last = error;
		return undefined;
	}

	private cannotEdit(error: unknown): void {
		this.log.info({ err: error }, 'cannot edit the panel message with the bot token; posting a new one');
		this.last = error;
	}

	private ok(messageId: string | undefined): DeliveryResult {
		return { ok: true, messageId, tokenDead: this.tokenDead };
	}

	private failure(error: unknown, failedAt?: number): DeliveryResult {
		return deliveryFailure(error, this.tokenDead, failedAt);
	}
}

/** Discord drops a second message with the same nonce (`enforce_nonce`): a repeated post after a crash is not a duplicate. */
export function nonceFor(drawingId: string): string {
	return createHash('sha256').update(drawingId).digest('base64url').slice(0, 25);
}

async function tryCall(call: () => Promise<unknown>, now: () => number = Date.now): Promise<Attempt> {
	try {
		return { ok: true, answer: await call() };
	} catch (error) {
		return { ok: false, error, at: now() };
	}
}

function messageIdOf(answer: unknown): string | undefined {
	return typeof answer === 'object' && answer !== null && 'id' in answer && typeof answer.id === 'string' ? answer.id : undefined;
}
