/**
 * The code points a TrueType/OpenType font maps to a real glyph, read from its `cmap` table
 * (formats 4 and 12, the Unicode subtables every Latin font carries).
 * @see https://learn.microsoft.com/en-us/typography/opentype/spec/cmap
 */
export function readCoverage(font: Buffer): ReadonlySet<number> {
	const tables = font.readUInt16BE(4);
	let cmap = -1;
	for (let index = 0; index < tables; index++) {
		const record = 12 + index * 16;
		if (font.toString('latin1', record, record + 4) === 'cmap') cmap = font.readUInt32BE(record + 8);
	}
	if (cmap < 0) throw new Error('the font has no cmap table');
	const subtables = new Map<string, number>();
	for (let index = 0; index < font.readUInt16BE(cmap + 2); index++) {
		const record = cmap + 4 + index * 8;
		subtables.set(`${font.readUInt16BE(record)}.${font.readUInt16BE(record + 2)}`, cmap + font.readUInt32BE(record + 4));
	}
	const full = subtables.get('3.10') ?? subtables.get('0.4') ?? subtables.get('0.6');
	if (full !== undefined && font.readUInt16BE(full) === 12) return format12(font, full);
	const bmp = subtables.get('3.1') ?? subtables.get('0.3') ?? subtables.get('0.4');
	if (bmp !== undefined && font.readUInt16BE(bmp) === 4) return format4(font, bmp);
	throw new Error('the font has no Unicode cmap subtable of format 4 or 12');
}

function format4(font: Buffer, at: number): Set<number> {
	const points = new Set<number>();
	const segments = font.readUInt16BE(at + 6) / 2;
	const ends = at + 14;
	const starts = ends + segments * 2 + 2;
	const deltas = starts + segments * 2;
	const rangeOffsets = deltas + segments * 2;
	for (let segment = 0; segment < segments; segment++) {
		const end = font.readUInt16BE(ends + segment * 2);
		const start = font.readUInt16BE(starts + segment * 2);
		const delta = font.readInt16BE(deltas + segment * 2);
		const rangeAt = rangeOffsets + segment * 2;
		const rangeOffset = font.readUInt16BE(rangeAt);
		for (let code = start; code <= end && code !== 0xffff; code++) {
			let glyph: number;
			if (rangeOffset === 0) glyph = (code + delta) & 0xffff;
			else {
				const raw = font.readUInt16BE(rangeAt + rangeOffset + (code - start) * 2);
				glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
			}
			if (glyph !== 0) points.add(code);
		}
	}
	return points;
}

function format12(font: Buffer, at: number): Set<number> {
	const points = new Set<number>();
	const groups = font.readUInt32BE(at + 12);
	for (let group = 0; group < groups; group++) {
		const record = at + 16 + group * 12;
		const start = font.readUInt32BE(record);
		const end = font.readUInt32BE(record + 4);
		const firstGlyph = font.readUInt32BE(record + 8);
		for (let code = start; code <= end; code++) if (firstGlyph + (code - start) !== 0) points.add(code);
	}
	return points;
}

/** Whitespace is laid out by us, not drawn from the font. */
const LAID_OUT = /\s/u;

/** The distinct characters of `text` the font has no glyph for, in order of first appearance. */
export function missingCharacters(text: string, covered: ReadonlySet<number>): string[] {
	const missing = new Set<string>();
	for (const char of text) {
		if (LAID_OUT.test(char)) continue;
		const code = char.codePointAt(0) ?? 0;
		if (!covered.has(code)) missing.add(char);
	}
	return [...missing];
}
