import type { OverlayOptions } from 'sharp';
import { imageEngine } from '../engine.ts';
import { fontsReady } from '../fonts.ts';
import { encode } from './encode.ts';
import { keyline } from './keyline.ts';
import { type Label, label, slug } from './label.ts';
import { EXTENSION, type ImageFormat, load, MIME, measure, type PanelSource, type RenderedImage } from './sources.ts';

export const STRIP = {
	width: 800,
	gutter: 24,
	titleHeight: 120,
	/** The webtoon publishing convention: slices at most this tall. */
	maxSliceHeight: 1280,
	maxSliceBytes: 2 * 1024 * 1024,
	background: { r: 255, g: 255, b: 255 },
	/** A thin border around each panel, as printed comics have. */
	keyline: 2,
} as const;

export interface StripOptions {
	readonly title: string;
	readonly width?: number;
	readonly format: ImageFormat;
}

interface Placement {
	readonly panel: PanelSource;
	readonly top: number;
	readonly height: number;
}

export interface StripPlan {
	readonly width: number;
	readonly height: number;
	readonly placements: readonly Placement[];
	/** Rows where a slice ends and the next begins, top to bottom, the strip's height last. */
	readonly cuts: readonly number[];
	/** [start, end) rows holding nothing but gutter. */
	readonly gutters: readonly (readonly [number, number])[];
}

/**
 * One column of panels under the project's name, cut into slices at most 1280 px tall. Yields the slices
 * one at a time, each rendered and encoded on its own, so the whole strip is never in memory.
 */
export async function* renderStrip(panels: readonly PanelSource[], options: StripOptions): AsyncGenerator<RenderedImage> {
	const engine = await imageEngine();
	// Titles, page numbers and badges are lettered with Skia: loaded here, before the synchronous drawing.
	await fontsReady();
	const plan = await planStrip(panels, options.width ?? STRIP.width);
	const title = label(options.title, { role: 'shout', size: 72, maxWidth: plan.width - 2 * STRIP.gutter });
	const name = slug(options.title);
	let start = 0;
	for (const [index, end] of plan.cuts.entries()) {
		const height = end - start;
		const layers: OverlayOptions[] = [];
		if (title && start < STRIP.titleHeight) {
			const top = Math.max(0, STRIP.titleHeight - title.height - 4);
			const visible = cropLayer(title, Math.round((plan.width - title.width) / 2), top - start, height);
			if (visible) layers.push(visible);
		}
		for (const placement of plan.placements) {
			const from = Math.max(start, placement.top);
			const to = Math.min(end, placement.top + placement.height);
			if (from >= to) continue;
			const rows = await engine(await load(placement.panel))
				.resize(plan.width - 2 * STRIP.gutter, placement.height, { fit: 'fill' })
				.extract({ left: 0, top: from - placement.top, width: plan.width - 2 * STRIP.gutter, height: to - from })
				.flatten({ background: STRIP.background })
				.toColourspace('srgb')
				.raw()
				.toBuffer({ resolveWithObject: true });
			keyline(rows.data, rows.info, STRIP.keyline, { top: from === placement.top, bottom: to === placement.top + placement.height });
			layers.push({
				input: rows.data,
				raw: { width: rows.info.width, height: rows.info.height, channels: rows.info.channels },
				left: STRIP.gutter,
				top: from - start,
			});
		}
		// Compositing adds an alpha channel; the slice is opaque. Composited again on each encoding
		// attempt rather than kept as raw pixels: a second attempt is rare, the memory is not.
		const slice = () =>
			engine({ create: { width: plan.width, height, channels: 3, background: STRIP.background } })
				.composite(layers)
				.removeAlpha();
		const data = await encode(slice, options.format, STRIP.maxSliceBytes);
		const number = String(index + 1).padStart(2, '0');
		yield { name: `${name}-strip-${number}.${EXTENSION[options.format]}`, data, width: plan.width, height, mime: MIME[options.format] };
		start = end;
	}
}

/** Where each panel sits in the column and where the slices are cut. */
export async function planStrip(panels: readonly PanelSource[], width: number): Promise<StripPlan> {
	const inner = width - 2 * STRIP.gutter;
	const placements: Placement[] = [];
	const gutters: [number, number][] = [];
	let cursor = STRIP.titleHeight;
	for (const panel of panels) {
		const size = await measure(panel);
		gutters.push([cursor, cursor + STRIP.gutter]);
		cursor += STRIP.gutter;
		const height = Math.max(1, Math.round((inner * size.height) / size.width));
		placements.push({ panel, top: cursor, height });
		cursor += height;
	}
	const cuts = cutRows(cursor + STRIP.gutter, gutters, STRIP.maxSliceHeight);
	// The bottom margin is dropped when it would be a slice of its own.
	const last = cuts.length > 1 ? (cuts.at(-2) ?? 0) : 0;
	if (cursor + STRIP.gutter - last <= STRIP.gutter) cuts.pop();
	else gutters.push([cursor, cursor + STRIP.gutter]);
	return { width, height: cuts.at(-1) ?? cursor, placements, gutters, cuts };
}

/**
 * Greedy: each slice ends in the middle of the lowest gutter that keeps it at most `max` tall, so a
 * panel that fits in a slice is never cut; a panel taller than a slice is cut through at `max`.
 */
export function cutRows(total: number, gutters: readonly (readonly [number, number])[], max: number): number[] {
	const cuts: number[] = [];
	let start = 0;
	while (total - start > max) {
		let cut = start + max;
		for (const [from, to] of gutters) {
			const middle = Math.floor((from + to) / 2);
			if (middle > start && middle <= start + max) cut = middle;
		}
		cuts.push(cut);
		start = cut;
	}
	cuts.push(total);
	return cuts;
}

/** The rows of a layer that fall in a slice `height` tall, the layer's top being `top` in slice rows. */
function cropLayer(layer: Label, left: number, top: number, height: number): OverlayOptions | undefined {
	const from = Math.max(0, -top);
	const to = Math.min(layer.height, height - top);
	if (from >= to) return undefined;
	if (from === 0 && to === layer.height) return { ...layer.overlay, left, top };
	const { input, raw } = layer.overlay;
	if (!(input instanceof Buffer) || !raw) return undefined;
	const rows = input.subarray(from * layer.width * 4, to * layer.width * 4);
	return { input: rows, raw: { ...raw, height: to - from }, left, top: top + from };
}
