import type { OverlayOptions } from 'sharp';
import { imageEngine } from '../engine.ts';
import { fontsReady } from '../fonts.ts';
import { encode } from './encode.ts';
import { keyline } from './keyline.ts';
import { label, slug } from './label.ts';
import { PAGE, planPages } from './pageLayout.ts';
import { EXTENSION, type ImageFormat, load, MIME, measure, type PanelSource, type RenderedImage } from './sources.ts';

export interface PagesOptions {
	readonly title: string;
	readonly format: ImageFormat;
	/** Render only this page (0-based), e.g. for a reader: the others are planned but never loaded. */
	readonly only?: number;
	/** Right to left (manga): the panels of each row are placed from right to left. */
	readonly rtl?: boolean;
}

const PAPER = { r: 255, g: 255, b: 255 } as const;

/**
 * Pages of 1600 x 2400 px with 1 to 4 panels each, fitted inside their cells (never cropped, so no
 * caption is cut off), the title on the first page and the page number at the bottom. Yields the pages
 * one at a time, each rendered and encoded on its own.
 */
export async function* renderPages(panels: readonly PanelSource[], options: PagesOptions): AsyncGenerator<RenderedImage> {
	const engine = await imageEngine();
	// Titles, page numbers and badges are lettered with Skia: loaded here, before the synchronous drawing.
	await fontsReady();
	const sizes = [];
	for (const panel of panels) sizes.push(await measure(panel));
	const plans = planPages(sizes, { rtl: options.rtl === true });
	const name = slug(options.title);
	for (const [index, plan] of plans.entries()) {
		if (options.only !== undefined && index !== options.only) continue;
		const layers: OverlayOptions[] = [];
		if (index === 0) {
			const title = label(options.title, { role: 'shout', size: 110, maxWidth: PAGE.width - 2 * PAGE.margin });
			if (title)
				layers.push({
					...title.overlay,
					left: Math.round((PAGE.width - title.width) / 2),
					top: PAGE.margin + Math.max(0, PAGE.header - PAGE.gutter - title.height),
				});
		}
		for (const [slot, panelIndex] of plan.panels.entries()) {
			const box = plan.boxes[slot];
			const panel = panels[panelIndex];
			if (!box || !panel) continue;
			const picture = await engine(await load(panel))
				.resize(box.width, box.height, { fit: 'fill' })
				.flatten({ background: PAPER })
				.toColourspace('srgb')
				.raw()
				.toBuffer({ resolveWithObject: true });
			// A keyline around each panel: 3 px on a 1600 px page (about 0.3 pt printed at 240 dpi).
			keyline(picture.data, picture.info, 3);
			layers.push({
				input: picture.data,
				raw: { width: picture.info.width, height: picture.info.height, channels: picture.info.channels },
				left: box.x,
				top: box.y,
			});
		}
		const number = label(String(index + 1), { role: 'dialogue', size: 44, maxWidth: 400, color: '#444444' });
		if (number)
			layers.push({ ...number.overlay, left: Math.round((PAGE.width - number.width) / 2), top: PAGE.height - Math.round((PAGE.footer + number.height) / 2) });
		const data = await encode(
			() =>
				engine({ create: { width: PAGE.width, height: PAGE.height, channels: 3, background: PAPER } })
					.composite(layers)
					.removeAlpha(),
			options.format,
		);
		const page = String(index + 1).padStart(3, '0');
		yield { name: `${name}-page-${page}.${EXTENSION[options.format]}`, data, width: PAGE.width, height: PAGE.height, mime: MIME[options.format] };
	}
}
