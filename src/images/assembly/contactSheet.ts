import type { OverlayOptions } from 'sharp';
import { imageEngine } from '../engine.ts';
import { label } from './label.ts';
import { load, measure, type PanelSource } from './sources.ts';

export const SHEET = { cell: 240, thumbHeight: 320, labelHeight: 44, gutter: 16, maxColumns: 8 } as const;

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

/** Numbered thumbnails in a grid (for `/comic project show`), one JPEG. */
export async function contactSheet(panels: readonly NumberedPanel[]): Promise<ContactSheet> {
	const engine = imageEngine();
	const columns = Math.max(1, Math.min(panels.length, SHEET.maxColumns, Math.max(4, Math.ceil(Math.sqrt(panels.length)))));
	const rows = Math.max(1, Math.ceil(panels.length / columns));
	const rowHeight = SHEET.thumbHeight + SHEET.labelHeight;
	const width = SHEET.gutter + columns * (SHEET.cell + SHEET.gutter);
	const height = SHEET.gutter + rows * (rowHeight + SHEET.gutter);
	const layers: OverlayOptions[] = [];
	for (const [index, panel] of panels.entries()) {
		const x = SHEET.gutter + (index % columns) * (SHEET.cell + SHEET.gutter);
		const y = SHEET.gutter + Math.floor(index / columns) * (rowHeight + SHEET.gutter);
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
		const number = label(String(panel.number), { role: 'dialogue', size: 30, maxWidth: SHEET.cell });
		if (number)
			layers.push({
				...number.overlay,
				left: x + Math.round((SHEET.cell - number.width) / 2),
				top: y + SHEET.thumbHeight + Math.round((SHEET.labelHeight - number.height) / 2),
			});
	}
	const data = await engine({ create: { width, height, channels: 3, background: { r: 236, g: 236, b: 236 } } })
		.composite(layers)
		.removeAlpha()
		.jpeg({ quality: 85 })
		.toBuffer();
	return { data, mime: 'image/jpeg', width, height };
}
