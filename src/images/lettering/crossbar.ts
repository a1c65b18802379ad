import { font } from '../fonts.ts';
import { canvasModule } from '../native.ts';

export interface Bar {
	readonly x: number;
	readonly y: number;
	readonly width: number;
	readonly height: number;
}

/**
 * The pronoun I: an I standing alone or before an apostrophe (I'M, I'LL, I'D, I'VE). Letterers draw it
 * with crossbars (serifs) so it is not read as a stroke or a 1; every other capital I stays a plain bar.
 */
const PRONOUN = /(?<![\p{L}\p{N}'’])I(?![\p{L}\p{N}])/gu;

interface Geometry {
	/** At size 100, relative to the glyph's origin with a middle baseline: the ink of the top and bottom rows. */
	readonly top: { readonly y: number; readonly from: number; readonly to: number };
	readonly bottom: { readonly y: number; readonly from: number; readonly to: number };
}

let geometry: Geometry | undefined;

/** Where Bangers' slanted I has ink in its top and bottom rows, read once from the rendered glyph. */
function glyph(): Geometry {
	if (geometry) return geometry;
	const size = 100;
	const canvas = canvasModule().createCanvas(200, 200);
	const ctx = canvas.getContext('2d');
	ctx.font = font('shout', size);
	ctx.textBaseline = 'middle';
	ctx.fillText('I', 50, 100);
	const { data } = ctx.getImageData(0, 0, 200, 200);
	const rows: { y: number; from: number; to: number }[] = [];
	for (let y = 0; y < 200; y++) {
		let from = -1;
		let to = -1;
		for (let x = 0; x < 200; x++) {
			if ((data[(y * 200 + x) * 4 + 3] ?? 0) > 128) {
				if (from < 0) from = x;
				to = x + 1;
			}
		}
		if (from >= 0) rows.push({ y: y - 100, from: from - 50, to: to - 50 });
	}
	const first = rows[0];
	const last = rows[rows.length - 1];
	if (!first || !last) throw new Error('the shout font has no I');
	// A row or two in from the ends: the very first and last rows are antialiased slivers.
	const top = rows[Math.min(2, rows.length - 1)] ?? first;
	const bottom = rows[Math.max(0, rows.length - 3)] ?? last;
	geometry = { top: { ...top, y: first.y }, bottom: { ...bottom, y: last.y + 1 } };
	return geometry;
}

/**
 * The crossbars to draw over the pronoun I in a shout run, relative to the run's left end and middle
 * baseline; `advance` measures a prefix of the run in the shout font at the run's size.
 */
export function crossbars(text: string, size: number, advance: (prefix: string) => number): Bar[] {
	const bars: Bar[] = [];
	const { top, bottom } = glyph();
	const scale = size / 100;
	const thickness = Math.max(1, (top.to - top.from) * 0.32 * scale);
	for (const match of text.matchAll(PRONOUN)) {
		const x = advance(text.slice(0, match.index));
		for (const [row, atTop] of [
			[top, true],
			[bottom, false],
		] as const) {
			const stem = (row.to - row.from) * scale;
			bars.push({
				x: x + row.from * scale - stem * 0.4,
				y: atTop ? row.y * scale : row.y * scale - thickness,
				width: stem * 1.8,
				height: thickness,
			});
		}
	}
	return bars;
}
