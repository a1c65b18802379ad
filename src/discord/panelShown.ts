import { z } from 'zod';
import type { PanelMessage } from './render.ts';

const embedText = z.object({
	title: z.string().nullish(),
	description: z.string().nullish(),
	color: z.number().nullish(),
	footer: z.object({ text: z.string().nullish() }).nullish(),
	fields: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
});

const shownMessage = z.object({
	id: z.string(),
	embeds: z.array(embedText).nullish(),
	attachments: z.array(z.object({ filename: z.string() })).nullish(),
});

type EmbedText = z.output<typeof embedText>;

/**
 * The id of a fetched message when it already shows `wanted` (same embed text, the image attached),
 * else undefined. Used after an interrupted delivery: the call that was cut short may have landed.
 * Anything unexpected counts as "not shown", so the worst case is one more, harmless, edit.
 */
export function shownMessageId(answer: unknown, wanted: PanelMessage): string | undefined {
	const parsed = shownMessage.safeParse(answer);
	if (!parsed.success) return undefined;
	const want = embedText.safeParse(wanted.body.embeds[0]);
	const [have] = parsed.data.embeds ?? [];
	if (!want.success || !have || !sameText(have, want.data)) return undefined;
	const attached = new Set((parsed.data.attachments ?? []).map((attachment) => attachment.filename));
	return wanted.files.every((file) => attached.has(file.name)) ? parsed.data.id : undefined;
}

/** The image URL is left out: Discord rewrites `attachment://` into a CDN URL. */
function sameText(have: EmbedText, want: EmbedText): boolean {
	const fields = (embed: EmbedText) => JSON.stringify((embed.fields ?? []).map(({ name, value }) => [name, value]));
	return (
		(have.title ?? '') === (want.title ?? '') &&
		(have.description ?? '') === (want.description ?? '') &&
		(have.color ?? 0) === (want.color ?? 0) &&
		(have.footer?.text ?? '') === (want.footer?.text ?? '') &&
		fields(have) === fields(want)
	);
}
