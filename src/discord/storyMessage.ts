import type { REST, RawFile } from '@discordjs/rest';
import { type APIEmbed, type APIActionRowComponent, type APIButtonComponent, ButtonStyle, ComponentType, Routes } from 'discord.js';
import type { DeliveryResult, StoryMessenger } from '../comic/generation/deps.ts';
import { quote } from '../comic/names.ts';
import { storyProgress, storyView, type StoryView } from '../comic/stories/storyView.ts';
import type { Db } from '../db/database.ts';
import type { ImageStore } from '../images/imageStore.ts';
import type { Log } from '../log.ts';
import { deliveryFailure } from './discordErrors.ts';
import { oneLine } from './fitText.ts';
import { TOKEN_SAFE_AGE_MS } from './messenger.ts';
import { NO_MENTIONS } from './render.ts';

/** Discord shows at most 10 embeds and 10 files in one message: the newest finished panels. */
const SHOWN_PICTURES = 10;
const MARK = { waiting: '⏸️', queued: '⏳', generating: '🎨', ready: '✅', failed: '❌' } as const;

export interface StoryMessengerDeps {
	readonly db: Db;
	readonly rest: REST;
	/** The client for interaction-token routes (outside the bot token's global cap), when there is one. */
	readonly interactionRest?: REST | undefined;
	readonly images: ImageStore;
	readonly log: Log;
	/** The custom id of the story's Cancel button (commands/buttons/ owns the codec). */
	readonly cancelId: (storyId: string) => string;
	readonly now?: () => number;
}

/**
 * Edits a story's one public message to show its progress and its finished panels: through the
 * interaction webhook while the token is young, else with the bot token. When another panel ended
 * during the edit, it edits once more, so the last edit shows the last state.
 */
export function createStoryMessenger(deps: StoryMessengerDeps): StoryMessenger {
	const now = deps.now ?? Date.now;
	return async (storyId): Promise<DeliveryResult> => {
		let shown: string | undefined;
		for (let round = 0; round < 2; round++) {
			const view = await storyView(deps.db, storyId);
			if (!view) return { ok: true, messageId: undefined, tokenDead: false };
			if (!view.messageId) return { ok: false, retryable: true, reason: 'the story message is not posted yet', tokenDead: false };
			const state = JSON.stringify(view.panels.map((panel) => panel.status));
			if (state === shown) break;
			const message = await renderStory(deps, view);
			try {
				const young =
					view.interactionToken && view.applicationId && view.interactionCreatedAt && now() - view.interactionCreatedAt.getTime() < TOKEN_SAFE_AGE_MS;
				const route =
					young && view.applicationId && view.interactionToken
						? Routes.webhookMessage(view.applicationId, view.interactionToken, view.messageId)
						: Routes.channelMessage(view.channelId, view.messageId);
				await (young ? (deps.interactionRest ?? deps.rest) : deps.rest).patch(route, { body: message.body, files: message.files, auth: !young });
			} catch (error) {
				return deliveryFailure(error, false, now());
			}
			shown = state;
		}
		return { ok: true, messageId: undefined, tokenDead: false };
	};
}

async function renderStory(deps: StoryMessengerDeps, view: StoryView): Promise<{ body: Record<string, unknown>; files: RawFile[] }> {
	const progress = storyProgress(view);
	const head =
		view.status === 'canceled'
			? `Story canceled: ${progress.drawn} of ${progress.total} drawn.`
			: progress.done
				? `Story finished: ${progress.drawn} of ${progress.total} drawn${progress.failed ? `, ${progress.failed} failed` : ''}.`
				: `${progress.drawn} of ${progress.total} drawn${progress.failed ? `, ${progress.failed} failed` : ''}…`;
	// A failed panel says why in plain words (a mature picture withheld from this channel, a refusal…): the story's message is its only message.
	const lines = view.panels.map(
		(panel) =>
			`\`#${panel.number}\` ${MARK[panel.status]} ${quote(oneLine(panel.caption ?? panel.description, 90))}${panel.status === 'failed' && panel.failureReason ? ` — ${quote(oneLine(panel.failureReason, 160))}` : ''}`,
	);
	const content = [`**${quote(view.projectName)}** · story — ${head}`, ...lines].join('\n').slice(0, 2000);
	const ready = view.panels.filter((panel) => panel.picture).slice(-SHOWN_PICTURES);
	const files: RawFile[] = [];
	const embeds: APIEmbed[] = [];
	for (const panel of ready) {
		if (!panel.picture) continue;
		const name = `story-panel-${panel.number}.${panel.picture.imageMime === 'image/jpeg' ? 'jpg' : panel.picture.imageMime === 'image/webp' ? 'webp' : 'png'}`;
		const data = await deps.images.read(panel.picture.imagePath).catch((error: unknown) => {
			deps.log.warn({ err: error, storyId: view.id }, 'a picture of a story is missing');
			return undefined;
		});
		if (!data) continue;
		files.push({ name, data, contentType: panel.picture.imageMime });
		embeds.push({
			title: `Panel ${panel.number}`,
			...(panel.caption ? { description: quote(panel.caption).slice(0, 4000) } : {}),
			image: { url: `attachment://${name}` },
		});
	}
	const open = view.status === 'drawing' && !progress.done;
	const components: APIActionRowComponent<APIButtonComponent>[] = open
		? [
				{
					type: ComponentType.ActionRow,
					components: [{ type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Cancel story', custom_id: deps.cancelId(view.id) }],
				},
			]
		: [];
	return {
		body: { content, embeds, components, allowed_mentions: NO_MENTIONS, attachments: files.map((file, id) => ({ id, filename: file.name })) },
		files,
	};
}
