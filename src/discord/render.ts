import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed, RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { DrawingView } from '../comic/generation/deps.ts';
import { quote } from '../comic/names.ts';

/** Nobody is ever pinged by the bot, whatever a prompt or a name contains. */
export const NO_MENTIONS = { parse: [] as never[] } as const;

const COLORS = { working: 0x5865f2, ready: 0x57f287, failed: 0xed4245 } as const;

export interface PanelMessage {
	readonly body: {
		content: string;
		embeds: APIEmbed[];
		allowed_mentions: typeof NO_MENTIONS;
		attachments: { id: number; filename: string; description?: string }[];
		components: APIActionRowComponent<APIComponentInMessageActionRow>[];
	};
	readonly files: { name: string; data: Buffer; contentType: string }[];
}

/** The buttons under a panel message (commands/buttons/ builds them: their custom ids are its codec's). */
export type PanelControls = (panel: DrawingView) => APIActionRowComponent<APIComponentInMessageActionRow>[];

/** Take 1 keeps the name pictures had before takes; the others are numbered. */
export function imageFileName(panel: Pick<DrawingView, 'number'>, mime: string | undefined, index = 1): string {
	const extension = mime === 'image/jpeg' ? 'jpg' : mime === 'image/webp' ? 'webp' : 'png';
	return index === 1 ? `panel-${panel.number}.${extension}` : `panel-${panel.number}-take-${index}.${extension}`;
}

/**
 * The panel's one message, in whatever state the panel is. Several takes are shown as one gallery:
 * Discord lays out up to four embeds that share a `url` as a grid of their images.
 */
export function renderPanel(panel: DrawingView, images: readonly Buffer[] = [], controls?: PanelControls): PanelMessage {
	const title = `${quote(panel.project.name)} · panel ${panel.number}`.slice(0, 256);
	const fields = [
		{ name: 'Character', value: quote(panel.character?.name ?? 'removed').slice(0, 1024), inline: true },
		{ name: 'Status', value: statusLine(panel), inline: true },
	];
	// A panel drawn from pictures names its engine (a LoRA panel's is its checkpoint, as always).
	if (panel.engine && panel.engine !== 'checkpoint') fields.push({ name: 'Engine', value: `\`${panel.engine}\``, inline: true });
	// Below confirm_above a panel from pictures is drawn at once: its message shows what it should cost.
	if ((panel.status === 'queued' || panel.status === 'generating') && panel.estimatedBuzz !== null)
		fields.push({ name: 'Buzz', value: `about ${Math.round(panel.estimatedBuzz)} (estimate)`, inline: true });
	if (panel.status === 'generating' && panel.submittedAt)
		fields.push({ name: 'Started', value: `<t:${Math.floor(panel.submittedAt.getTime() / 1000)}:R>`, inline: true });
	const embed: APIEmbed = { title, description: `> ${quote(panel.prompt).slice(0, 3900)}`, fields, color: COLORS.working };
	const notes = [panel.enhanceNote].filter((note): note is string => Boolean(note));
	if (panel.status === 'failed') {
		embed.color = COLORS.failed;
		notes.unshift(panel.failureReason ?? 'Generation failed.');
	}
	const shown = panel.status === 'ready' ? panel.pictures.filter((_, position) => images[position] !== undefined) : [];
	const files = shown.map((picture, position) => ({
		name: imageFileName(panel, picture.imageMime, picture.index),
		data: images[position] ?? Buffer.alloc(0),
		contentType: picture.imageMime,
	}));
	const extra: APIEmbed[] = [];
	if (panel.status === 'ready' && files.length > 0) {
		embed.color = COLORS.ready;
		const url = files.length > 1 ? galleryUrl(panel) : undefined;
		embed.image = { url: `attachment://${files[0]?.name}` };
		if (url) embed.url = url;
		for (const file of files.slice(1)) extra.push({ url, image: { url: `attachment://${file.name}` } });
		fields.push({ name: 'Buzz', value: buzzLine(panel), inline: true });
	}
	if (notes.length) embed.footer = { text: notes.join(' ').slice(0, 2048) };
	return {
		body: {
			content: '',
			embeds: [embed, ...extra],
			allowed_mentions: NO_MENTIONS,
			attachments: files.map((file, id) => ({ id, filename: file.name, description: panel.prompt.slice(0, 1024) })),
			components: controls ? controls(panel) : [],
		},
		files,
	};
}

function statusLine(panel: DrawingView): string {
	switch (panel.status) {
		case 'waiting':
			return waitingLine(panel.ahead);
		case 'queued':
			if (panel.cancelRequestedAt) return '⏳ Canceling…';
			if (panel.confirmAskedAt && !panel.confirmedAt)
				return `⏸️ Waiting for its owner's OK: about ${Math.round(panel.estimatedBuzz ?? 0)} Buzz (Draw or Cancel)`;
			return '⏳ Queued';
		case 'generating':
			if (panel.cancelRequestedAt) return '🎨 Canceling…';
			return panel.progressText ? `🎨 Being drawn: ${panel.progressText}` : '🎨 Being drawn…';
		case 'ready':
			return '✅ Ready';
		case 'failed':
			return '❌ Failed';
	}
}

/** A panel over its owner's in-flight limit: it starts by itself when a slot frees. */
function waitingLine(ahead: number | undefined): string {
	if (ahead === undefined) return '⏸️ Waiting for a free slot';
	return `⏸️ Waiting, ${ahead} ahead of it`;
}

function buzzLine(panel: DrawingView): string {
	const buzz = (value: number) => `${Math.round(value * 100) / 100}`;
	if (panel.cost === null) {
		if (panel.panelCost !== null) return `${buzz(panel.panelCost)} for the panel`;
		return panel.estimatedBuzz === null ? 'not known' : `about ${buzz(panel.estimatedBuzz)} (estimate)`;
	}
	if (panel.panelCost === null || panel.panelCost === panel.cost) return `${buzz(panel.cost)} ⚡`;
	return `${buzz(panel.cost)} ⚡ (${buzz(panel.panelCost)} for the panel)`;
}

/** The link the gallery's embeds share: the message itself when known. */
function galleryUrl(panel: DrawingView): string {
	return panel.messageId
		? `https://discord.com/channels/${panel.guildId ?? '@me'}/${panel.channelId}/${panel.messageId}`
		: `https://discord.com/channels/@me/${panel.channelId}`;
}

/** A new message in the channel when the original can no longer be edited: names the user, pings nobody. */
export function asNewMessage(panel: DrawingView, message: PanelMessage, nonce: string): RESTPostAPIChannelMessageJSONBody {
	return {
		...message.body,
		content: `<@${panel.ownerId}>, here is your panel:`,
		nonce,
		enforce_nonce: true,
	};
}
