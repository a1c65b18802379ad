import { canvasModule } from '../native.ts';
import { imageEngine, type Size } from '../engine.ts';
import { type FontRole, font, loadFonts } from '../fonts.ts';
import { missingCharacters } from './coverage.ts';
import type { Balloon } from './dialogue.ts';
import { drawLettering } from './draw.ts';
import { type Box, type BoxKind, type Element, layoutAt, type Measure, type Placed, SCALE } from './layout.ts';
import { LetteringError } from './letteringError.ts';

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
 * Letters a picture: a caption box across the top, then the balloons in reading order, sides alternating
 * when the speaker changes; shouts in spiky balloons. The text shrinks until it fits (at most a third of
 * the picture); below a readable size, or for characters the fonts lack, it throws a LetteringError.
 *
 * The output is PNG at the picture's size: lossless, so text edges stay crisp when an export encodes the
 * panel again, and the pixels outside the balloons stay exactly the picture's.
 */
export async function letterPanel(picture: Buffer, words: Words): Promise<Lettered> {
	const engine = imageEngine();
	const { width, height, hasAlpha } = await engine(picture).metadata();
	const size = { width, height };
	const placed = layoutWords(words, size);
	const layer = drawLettering(size, placed);
	const lettered = engine(picture).composite([{ input: layer.data(), raw: { width, height, channels: 4, premultiplied: true } }]);
	// Compositing adds an alpha channel: an opaque picture stays opaque (and a third smaller).
	const image = await (hasAlpha ? lettered : lettered.removeAlpha()).png({ compressionLevel: 6 }).toBuffer();
	return { image, mime: 'image/png', ...size, boxes: placed.map(({ kind, box }) => ({ kind, ...box })) };
}

/** The synchronous part of lettering (checks, fitting, placing): measured at a few milliseconds a panel. */
export function layoutWords(words: Words, picture: Size): Placed[] {
	const coverage = loadFonts();
	const elements = toElements(words, coverage);
	const missing = elements.flatMap((element) => missingCharacters(element.text, coverage[element.role]));
	if (missing.length > 0) {
		const shown = [...new Set(missing)].slice(0, 12).map(describe).join(' ');
		throw new LetteringError(
			'unsupported-characters',
			`The comic fonts cannot letter these characters: ${shown}. Latin letters (with accents), digits and punctuation work.`,
			undefined,
			[...new Set(missing)],
		);
	}
	if (elements.length === 0) return [];
	const unit = Math.sqrt(picture.width * picture.height);
	const measure = measurer();
	for (let size = unit * SCALE.start; size >= unit * SCALE.floor; size *= SCALE.step) {
		const placed = layoutAt(elements, picture, size, measure);
		if (placed) return placed;
	}
	const total = elements.reduce((sum, element) => sum + [...element.text].length, 0);
	const fit = charactersThatFit(elements, picture, unit * SCALE.floor, measure);
	throw new LetteringError(
		'does-not-fit',
		`The words are too long for this picture: about ${fit} of their ${total} characters fit. Shorten the caption or the dialogue.`,
		fit,
	);
}

function toElements(words: Words, coverage: Record<FontRole, ReadonlySet<number>>): Element[] {
	const elements: Element[] = [];
	if (words.caption) elements.push({ kind: 'caption', role: 'caption', text: words.caption });
	let side: 'left' | 'right' = 'left';
	let previous: Balloon | undefined;
	for (const balloon of words.balloons) {
		if (previous && previous.speaker !== balloon.speaker) side = side === 'left' ? 'right' : 'left';
		previous = balloon;
		// Bangers has its own coverage; a shout it cannot draw is lettered in the dialogue font, still spiky.
		const shoutRole: FontRole = missingCharacters(balloon.text, coverage.shout).length === 0 ? 'shout' : 'dialogue';
		elements.push(
			balloon.shout ? { kind: 'shout', role: shoutRole, text: balloon.text, side } : { kind: 'speech', role: 'dialogue', text: balloon.text, side },
		);
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
		if (layoutAt(cut(middle), picture, size, measure)) low = middle;
		else high = middle;
	}
	const fits = cut(low).reduce((sum, element) => sum + [...element.text].length, 0);
	return low === 0 ? 0 : Math.floor(fits / 10) * 10 || fits;
}

function measurer(): Measure {
	const ctx = canvasModule().createCanvas(1, 1).getContext('2d');
	let current = '';
	return (text, role, size) => {
		const wanted = font(role, size);
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
