import { canvasModule } from '../native.ts';
import { imageEngine, type Size } from '../engine.ts';
import { type FontRole, font, fontsReady, loadFonts } from '../fonts.ts';
import { missingCharacters } from './coverage.ts';
import type { Balloon } from './dialogue.ts';
import { drawLettering } from './draw.ts';
import { type Box, type BoxKind, baseSize, type Element, layoutAt, type Measure, type Placed, SCALE } from './layout.ts';
import { blankMap, findSubjects, type SubjectMap } from './subjects.ts';
import { LetteringError } from './letteringError.ts';
import { hanFor, scriptCovers } from '../scripts.ts';

export interface Words {
	readonly caption?: string;
	readonly balloons: readonly Balloon[];
}

export interface LetteredBox extends Box {
	readonly kind: BoxKind;
}

export interface Lettered {
	readonly image: Buffer;
	readonly mime: 'image/png';
	readonly width: number;
	readonly height: number;
	/** Every pixel the lettering changed lies inside one of these boxes. */
	readonly boxes: readonly LetteredBox[];
}

/**
 * Letters a picture: the caption and the balloons in reading order, each where the picture is emptiest
 * (faces and figures found by a saliency map are avoided), tails toward the speaker. The text has one
 * size for a picture width (so panels of an export read alike); a long speech becomes butted balloons;
 * words that still do not fit, or characters no shipped font has, throw a LetteringError.
 *
 * The output is PNG at the picture's size: lossless, so text edges stay crisp when an export encodes the
 * panel again, and the pixels outside the balloons stay exactly the picture's.
 */
export async function letterPanel(picture: Buffer, words: Words): Promise<Lettered> {
	const engine = await imageEngine();
	if (!words.caption && words.balloons.length === 0) {
		const { width, height } = await engine(picture).metadata();
		return { image: await engine(picture).png({ compressionLevel: 6 }).toBuffer(), mime: 'image/png', width, height, boxes: [] };
	}
	await fontsReady();
	// Decoded once: the subject map and the composite both read these pixels.
	const { data, info } = await engine(picture).raw().toBuffer({ resolveWithObject: true });
	const raw = { raw: { width: info.width, height: info.height, channels: info.channels } } as const;
	const size = { width: info.width, height: info.height };
	const map = await findSubjects(engine(data, raw), size);
	const placed = layoutWords(words, size, map);
	const layer = drawLettering(size, placed);
	const lettered = engine(data, raw).composite([{ input: layer.data(), raw: { width: size.width, height: size.height, channels: 4, premultiplied: true } }]);
	// Compositing adds an alpha channel: an opaque picture stays opaque (and a third smaller).
	const image = await (info.channels === 4 ? lettered : lettered.removeAlpha()).png({ compressionLevel: 6 }).toBuffer();
	return { image, mime: 'image/png', ...size, boxes: placed.map(({ kind, box }) => ({ kind, ...box })) };
}

/**
 * The synchronous part of lettering (checks, fitting, placing): a few milliseconds a panel. Without a
 * subject map (checking words before a picture exists) the picture is taken as empty.
 */
export function layoutWords(words: Words, picture: Size, map: SubjectMap = blankMap(picture)): Placed[] {
	// No words, nothing to check: a wordless panel never loads Skia and the fonts (~16 MB of memory).
	if (!words.caption && words.balloons.length === 0) return [];
	const coverage = loadFonts();
	const elements = toElements(words, coverage);
	const missing = elements.flatMap((element) => unlettered(element.text, coverage[element.role]));
	if (missing.length > 0) {
		const shown = [...new Set(missing)].slice(0, 12).map(describe).join(' ');
		throw new LetteringError(
			'unsupported-characters',
			`No shipped font has these characters: ${shown}. Every script a server writes in works (Latin, Cyrillic, Greek, Japanese, Korean, Chinese, Arabic, Hebrew, Devanagari, Thai) and emoji; use other characters.`,
			undefined,
			[...new Set(missing)],
		);
	}
	if (elements.length === 0) return [];
	const base = baseSize(picture);
	const measure = measurer(hanFor(elements.map((element) => element.text).join(' ')));
	for (const share of [1, 0.96, SCALE.floor]) {
		const placed = layoutAt(elements, picture, base * share, measure, map);
		if (placed) return placed;
	}
	const total = elements.reduce((sum, element) => sum + [...element.text].length, 0);
	const fit = charactersThatFit(elements, picture, base * SCALE.floor, measure);
	throw new LetteringError(
		'does-not-fit',
		`The words are too long for this picture: about ${fit} of their ${total} characters fit. Shorten the caption or the dialogue.`,
		fit,
	);
}

function toElements(words: Words, coverage: Record<FontRole, ReadonlySet<number>>): Element[] {
	const elements: Element[] = [];
	if (words.caption) elements.push({ kind: 'caption', role: 'caption', text: words.caption });
	// A named speaker keeps one side for the whole panel (first named on the left); unnamed lines
	// alternate from the line before.
	const sides = new Map<string, 'left' | 'right'>();
	let side: 'left' | 'right' = 'right';
	for (const balloon of words.balloons) {
		const known = balloon.speaker ? sides.get(balloon.speaker) : undefined;
		if (known) side = known;
		else {
			side = balloon.speaker && sides.size === 0 ? 'left' : side === 'left' ? 'right' : 'left';
			if (balloon.speaker) sides.set(balloon.speaker, side);
		}
		// Bangers has its own coverage; a shout it cannot draw is lettered in the dialogue font, still spiky.
		const role: FontRole = balloon.voice === 'shout' && unlettered(balloon.text, coverage.shout).length === 0 ? 'shout' : 'dialogue';
		elements.push({ kind: balloon.voice, role, text: balloon.text, side });
	}
	return elements;
}

/** Binary search on the share of every element's text that still fits at the smallest size. */
function charactersThatFit(elements: readonly Element[], picture: Size, size: number, measure: Measure): number {
	const cut = (share: number) =>
		elements.map((element) => ({ ...element, text: [...element.text].slice(0, Math.max(1, Math.floor([...element.text].length * share))).join('') }));
	let low = 0;
	let high = 1;
	for (let step = 0; step < 10; step++) {
		const middle = (low + high) / 2;
		if (layoutAt(cut(middle), picture, size, measure, blankMap(picture))) low = middle;
		else high = middle;
	}
	const fits = cut(low).reduce((sum, element) => sum + [...element.text].length, 0);
	return low === 0 ? 0 : Math.floor(fits / 10) * 10 || fits;
}

/** The characters of `text` that neither the role's fonts nor any shipped script font has. */
function unlettered(text: string, covered: ReadonlySet<number>): string[] {
	return missingCharacters(text.replace(/[*_]/g, ''), covered).filter((char) => !scriptCovers(char.codePointAt(0) ?? 0));
}

function measurer(han: ReturnType<typeof hanFor>): Measure {
	const ctx = canvasModule().createCanvas(1, 1).getContext('2d');
	let current = '';
	return (text, role, size) => {
		const wanted = font(role, size, text, han);
		if (wanted !== current) {
			ctx.font = wanted;
			current = wanted;
		}
		return ctx.measureText(text).width;
	};
}

function describe(char: string): string {
	const code = char.codePointAt(0) ?? 0;
	const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
	return /[\p{L}\p{N}\p{P}\p{S}]/u.test(char) ? `“${char}” (${hex})` : hex;
}
