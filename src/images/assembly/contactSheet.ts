import type { OverlayOptions } from 'sharp';
import { imageEngine } from '../engine.ts';
import { font, fontsReady, loadFonts } from '../fonts.ts';
import { canvasModule } from '../native.ts';
import { label } from './label.ts';
import { load, measure, type PanelSource } from './sources.ts';

/**
 * At most four columns and twenty panels (the newest, with a line saying how many there are), so the
 * sheet still reads on a phone; each number is a dark badge on its thumbnail, a quarter of its width.
 */
export const SHEET = { cell: 240, thumbHeight: 320, labelHeight: 44, gutter: 16, maxColumns: 4, maxPanels: 20, badge: 64 } as const;

export interface NumberedPanel extends PanelSource {
	/** The panel's position in the project, shown under its thumbnail. */
	readonly number: number;
}

export interface ContactSheet {
	readonly data: Buffer;
	readonly mime: 'image/jpeg';
	readonly width: number;
	readonly height: number;
}

/** Numbered thumbnails in a grid (for `/comic project show`), one JPEG; past 20 panels, the newest 20. */
export async function contactSheet(all: readonly NumberedPanel[]): Promise<ContactSheet> {
	const engine = await imageEngine();
	// Titles, page numbers and badges are lettered with Skia: loaded here, before the synchronous drawing.
	await fontsReady();
	const panels = all.slice(-SHEET.maxPanels);
	const header = all.length > panels.length ? SHEET.labelHeight + SHEET.gutter : 0;
	const columns = Math.max(1, Math.min(panels.length, SHEET.maxColumns));
	const rows = Math.max(1, Math.ceil(panels.length / columns));
	const rowHeight = SHEET.thumbHeight;
	const width = SHEET.gutter + columns * (SHEET.cell + SHEET.gutter);
	const height = SHEET.gutter + header + rows * (rowHeight + SHEET.gutter);
	const layers: OverlayOptions[] = [];
	if (header > 0) {
		const line = label(`The newest ${panels.length} of ${all.length} panels`, {
			role: 'dialogue',
			size: 32,
			maxWidth: width - 2 * SHEET.gutter,
			color: '#111111',
		});
		if (line) layers.push({ ...line.overlay, left: SHEET.gutter, top: SHEET.gutter + Math.round((SHEET.labelHeight - line.height) / 2) });
	}
	for (const [index, panel] of panels.entries()) {
		const x = SHEET.gutter + (index % columns) * (SHEET.cell + SHEET.gutter);
		const y = SHEET.gutter + header + Math.floor(index / columns) * (rowHeight + SHEET.gutter);
		const size = await measure(panel);
		const scale = Math.min(SHEET.cell / size.width, SHEET.thumbHeight / size.height);
		const thumbWidth = Math.max(1, Math.floor(size.width * scale));
		const thumbHeight = Math.max(1, Math.floor(size.height * scale));
		const thumb = await engine(await load(panel))
			.resize(thumbWidth, thumbHeight, { fit: 'fill' })
			.flatten({ background: '#ffffff' })
			.toColourspace('srgb')
			.raw()
			.toBuffer({ resolveWithObject: true });
		layers.push({
			input: thumb.data,
			raw: { width: thumb.info.width, height: thumb.info.height, channels: thumb.info.channels },
			left: x + Math.round((SHEET.cell - thumbWidth) / 2),
			top: y + (SHEET.thumbHeight - thumbHeight),
		});
		layers.push({ ...badge(String(panel.number)), left: x + Math.round((SHEET.cell - thumbWidth) / 2) + 6, top: y + (SHEET.thumbHeight - thumbHeight) + 6 });
	}
	const data = await engine({ create: { width, height, channels: 3, background: { r: 236, g: 236, b: 236 } } })
		.composite(layers)
		.removeAlpha()
		.jpeg({ quality: 85 })
		.toBuffer();
	return { data, mime: 'image/jpeg', width, height };
}

/** White digits on a near-black rounded square with a white rim: readable on any picture. */
function badge(text: string): OverlayOptions {
	loadFonts();
	const size = SHEET.badge;
	const canvas = canvasModule().createCanvas(size, size);
	const ctx = canvas.getContext('2d');
	ctx.fillStyle = '#ffffff';
	ctx.beginPath();
	ctx.roundRect(0, 0, size, size, size * 0.22);
	ctx.fill();
	ctx.fillStyle = '#111111';
	ctx.beginPath();
	ctx.roundRect(3, 3, size - 6, size - 6, size * 0.18);
	ctx.fill();
	let fontSize = size * 0.6;
	ctx.font = font('dialogue', fontSize);
	const measured = ctx.measureText(text).width;
	if (measured > size - 12) {
		fontSize = (fontSize * (size - 12)) / measured;
		ctx.font = font('dialogue', fontSize);
	}
	ctx.fillStyle = '#ffffff';
	ctx.textAlign = 'center';
	ctx.textBaseline = 'middle';
	ctx.fillText(text, size / 2, size / 2 + fontSize * 0.04);
	return { input: canvas.data(), raw: { width: size, height: size, channels: 4, premultiplied: true } };
}
