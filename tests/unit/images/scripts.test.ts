import { expect, test } from 'vitest';
import { font, loadFonts } from '../../../src/images/fonts.ts';
import { parseDialogue } from '../../../src/images/lettering/dialogue.ts';
import { crossbars } from '../../../src/images/lettering/crossbar.ts';
import { drawLettering } from '../../../src/images/lettering/draw.ts';
import { layoutWords } from '../../../src/images/lettering/letter.ts';
import { LetteringError } from '../../../src/images/lettering/letteringError.ts';
import { canvasModule } from '../../../src/images/native.ts';
import { directionOf, hanFor } from '../../../src/images/scripts.ts';

loadFonts();

/** Draws `text` black on white with our font string (and the text's direction) and returns the canvas's pixels. */
function render(text: string, han: ReturnType<typeof hanFor>, width = 400) {
	const canvas = canvasModule().createCanvas(width, 80);
	const ctx = canvas.getContext('2d');
	ctx.fillStyle = '#fff';
	ctx.fillRect(0, 0, width, 80);
	ctx.fillStyle = '#000';
	ctx.font = font('dialogue', 48, text, han);
	ctx.direction = directionOf(text);
	ctx.textAlign = 'left';
	ctx.fillText(text, 4, 60);
	return { ctx, width: ctx.measureText(text).width, data: ctx.getImageData(0, 0, width, 80).data };
}

function ink(data: Uint8ClampedArray, from = 0, to = Number.POSITIVE_INFINITY, width = 400): number {
	let count = 0;
	for (let index = 0; index < data.length; index += 4) {
		const x = (index / 4) % width;
		if (x >= from && x < to && (data[index] ?? 255) < 128) count++;
	}
	return count;
}

test('Japanese, Korean and Chinese letter from their own fonts, the CJK font chosen by the text', () => {
	expect(hanFor('ねえ、直して')).toBe('ja');
	expect(hanFor('직접 直')).toBe('ko');
	expect(hanFor('直接')).toBe('zh');
	expect(font('dialogue', 20, '直す', 'ja')).toContain('"ComicBot ja');
	expect(font('dialogue', 20, 'ABC', 'ja')).not.toContain('ComicBot ja');
	// 直 is drawn differently in Japan and China: the same character, two different pictures.
	const japanese = render('直', 'ja');
	const chinese = render('直', 'zh');
	expect(ink(japanese.data)).toBeGreaterThan(300);
	expect(ink(chinese.data)).toBeGreaterThan(300);
	expect(Buffer.from(japanese.data).equals(Buffer.from(chinese.data))).toBe(false);
	// A full-width character is about one em wide, as in a CJK font (not a missing glyph).
	for (const [text, han] of [
		['あ', 'ja'],
		['한', 'ko'],
		['们', 'zh'],
	] as const) {
		expect(render(text, han).width).toBeGreaterThan(40);
		expect(render(text, han).width).toBeLessThanOrEqual(49);
		expect(ink(render(text, han).data)).toBeGreaterThan(200);
	}
});

test('Hebrew reads right to left and Arabic letters join (shaped by HarfBuzz)', () => {
	// שםםםם: the first letter (shin) must end up at the right end, the final mems at the left.
	const shin = render('ש', 'zh');
	const word = render('שםםםם', 'zh');
	const letter = Math.round(shin.width);
	const right = Math.round(4 + word.width);
	const slice = (data: Uint8ClampedArray, from: number) => {
		const out: number[] = [];
		for (let y = 0; y < 80; y++) for (let x = 0; x < letter; x++) out.push(data[(y * 400 + from + x) * 4] ?? 255);
		return out;
	};
	const difference = (a: number[], b: number[]) => a.reduce((sum, value, index) => sum + Math.abs(value - (b[index] ?? 0)), 0);
	const reference = slice(shin.data, 4);
	expect(difference(slice(word.data, right - letter), reference)).toBeLessThan(difference(slice(word.data, 4), reference) / 4);
	expect(directionOf('שלום!')).toBe('rtl');
	expect(directionOf('Hi שלום')).toBe('ltr');
	// Joined Arabic letters take their connected forms: not the picture of the same letters kept apart by
	// zero-width non-joiners (which would be the same pixels if nothing were shaped).
	const joined = render('سمعت', 'zh');
	const apart = render('س\u200cم\u200cع\u200cت', 'zh');
	expect(ink(joined.data)).toBeGreaterThan(300);
	expect(Buffer.from(joined.data).equals(Buffer.from(apart.data))).toBe(false);
});

test('Thai, emoji and mixed scripts are lettered, emoji in colour; Japanese breaks between words without hyphens', () => {
	const picture = { width: 832, height: 1216 };
	const placed = layoutWords({ balloons: parseDialogue('Mia: คุณได้ยินไหม มีคนอยู่หลังประตู | Rex: Relax 😀👍🏽 🇯🇵 | Ari: ميا שלום 안녕 你好') }, picture);
	expect(placed).toHaveLength(3);
	const layer = drawLettering(picture, placed);
	const emoji = placed[1];
	if (!emoji) throw new Error('no emoji balloon');
	const pixels = layer.getContext('2d').getImageData(emoji.text.x, emoji.text.y, emoji.text.width, emoji.text.height).data;
	let yellow = 0;
	for (let index = 0; index < pixels.length; index += 4)
		if ((pixels[index] ?? 0) > 200 && (pixels[index + 1] ?? 0) > 150 && (pixels[index + 2] ?? 255) < 90) yellow++;
	expect(yellow).toBeGreaterThan(50);

	const long = layoutWords(
		{ balloons: parseDialogue('ミア: ねえ、聞こえた？誰かが扉の向こうにいるよ。早く逃げないと、みんな見つかってしまう。') },
		{ width: 512, height: 768 },
	);
	const lines = long.flatMap((item) => item.lines.map((line) => line.runs.map((run) => run.text).join('')));
	expect(lines.length).toBeGreaterThan(1);
	for (const line of lines) {
		expect(line).not.toMatch(/-$/u);
		expect(line).not.toMatch(/^[、。？]/u);
	}
	expect(lines.join('')).toBe('ねえ、聞こえた？誰かが扉の向こうにいるよ。早く逃げないと、みんな見つかってしまう。');
});

test('only characters no shipped font has are refused, named by code point', () => {
	const error = (() => {
		try {
			layoutWords({ balloons: parseDialogue('Mia: 日本 😀 𓀀') }, { width: 512, height: 768 });
		} catch (caught) {
			return caught;
		}
	})();
	expect(error).toBeInstanceOf(LetteringError);
	if (!(error instanceof LetteringError)) return;
	expect(error.characters).toEqual(['𓀀']);
	expect(error.message).toContain('U+13000');
});

test('a shout letters the pronoun I with crossbars, other capital Is plain', () => {
	const advance = (prefix: string) => prefix.length * 10;
	expect(crossbars("I DID IT! I'M IN!", 40, advance)).toHaveLength(4);
	expect(crossbars('IT IS IN! HI!', 40, advance)).toEqual([]);
	const picture = { width: 832, height: 600 };
	const [shout] = layoutWords({ balloons: parseDialogue('Rex: I WON!') }, picture);
	if (shout?.role !== 'shout') throw new Error('not lettered as a shout');
	const layer = drawLettering(picture, [shout]);
	const ctx = layer.getContext('2d');
	const line = shout.lines[0];
	const run = line?.runs[0];
	if (!line || !run) throw new Error('no line');
	ctx.font = font('shout', shout.size);
	const left = shout.text.x + (shout.text.width - line.width) / 2 + run.x;
	const y = shout.text.y + 0.5 * shout.lineHeight;
	const bars = crossbars(run.text, shout.size, (prefix) => ctx.measureText(prefix).width);
	expect(bars).toHaveLength(2);
	// The bars' ends stick out of the stem, where a plain I has no ink: there the layer is dark ink.
	for (const bar of bars) {
		const pixel = ctx.getImageData(Math.round(left + bar.x + 1), Math.round(y + bar.y + bar.height / 2), 1, 1).data;
		expect(pixel[3]).toBeGreaterThan(200);
		expect(pixel[0]).toBeLessThan(80);
	}
});
