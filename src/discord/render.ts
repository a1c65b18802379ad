import type { APIEmbed, RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { PanelView } from '../comic/generation/deps.ts';
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
		components: [];
	};
	readonly files: { name: string; data: Buffer; contentType: string }[];
}

export function imageFileName(panel: Pick<PanelView, 'number'>, mime: string | undefined): string {
	const extension = mime === 'image/jpeg' ? 'jpg' : mime === 'image/webp' ? 'webp' : 'png';
	return `panel-${panel.number}.${extension}`;
}

/** The panel's one message, in whatever state the panel is. */
export function renderPanel(panel: PanelView, image?: Buffer): PanelMessage {
	const title = `${panel.project.name} · panel ${panel.number}`.slice(0, 256);
	const fields = [
		{ name: 'Character', value: quote(panel.character?.name ?? 'removed').slice(0, 1024), inline: true },
		{ name: 'Status', value: statusLine(panel), inline: true },
	];
	const embed: APIEmbed = { title, description: `> ${quote(panel.prompt).slice(0, 3900)}`, fields, color: COLORS.working };
	const notes = [panel.enhanceNote].filter((note): note is string => Boolean(note));
	if (panel.status === 'failed') {
		embed.color = COLORS.failed;
		notes.unshift(panel.failureReason ?? 'Generation failed.');
	}
	if (panel.status === 'ready' && image) {
		embed.color = COLORS.ready;
		embed.image = { url: `attachment://${imageFileName(panel, panel.picture?.imageMime)}` };
	}
	if (notes.length) embed.footer = { text: notes.join(' ').slice(0, 2048) };
	const files =
		panel.status === 'ready' && image
			? [{ name: imageFileName(panel, panel.picture?.imageMime), data: image, contentType: panel.picture?.imageMime ?? 'image/png' }]
			: [];
	return {
		body: {
			content: '',
			embeds: [embed],
			allowed_mentions: NO_MENTIONS,
			attachments: files.map((file, id) => ({ id, filename: file.name, description: panel.prompt.slice(0, 1024) })),
			components: [],
		},
		files,
	};
}

function statusLine(panel: PanelView): string {
	switch (panel.status) {
		case 'queued':
			return '⏳ Queued';
		case 'generating':
			return '🎨 Being drawn…';
		case 'ready':
			return '✅ Ready';
		case 'failed':
			return '❌ Failed';
	}
}

/** A new message in the channel when the original can no longer be edited: names the user, pings nobody. */
export function asNewMessage(panel: PanelView, message: PanelMessage, nonce: string): RESTPostAPIChannelMessageJSONBody {
	return {
		...message.body,
		content: `<@${panel.ownerId}>, here is your panel:`,
		nonce,
		enforce_nonce: true,
	};
}
