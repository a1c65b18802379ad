import type { Size } from '../engine.ts';
import type { FontRole } from '../fonts.ts';

/** Measures the advance width of `text` in a font role at a size, in pixels. */
export type Measure = (text: string, role: FontRole, size: number) => number;

export type BoxKind = 'caption' | 'speech' | 'shout';

export interface Box {
	readonly x: number;
	readonly y: number;
	readonly width: number;
	readonly height: number;
}

/** One caption box or balloon, placed: its outer box (tail and stroke included) and its wrapped lines. */
export interface Placed {
	readonly kind: BoxKind;
	readonly role: FontRole;
	readonly size: number;
	readonly lineHeight: number;
	readonly lines: readonly string[];
	/** The box everything drawn for this element lies in. */
	readonly box: Box;
	/** The balloon's or caption's body, without its tail. */
	readonly body: Box;
	/** Where the text block sits. */
	readonly text: Box;
	/** For balloons: the tail's tip, toward the speaker's side below. */
	readonly tail?: { readonly side: 'left' | 'right'; readonly tipX: number; readonly tipY: number };
}

export interface Element {
	readonly kind: BoxKind;
	readonly role: FontRole;
	readonly text: string;
	readonly side?: 'left' | 'right';
}

/** Proportions of sqrt(width × height), so 512x768, 832x1216 and square pictures read alike. */
export const SCALE = {
	margin: 0.022,
	start: 0.034,
	floor: 0.022,
	step: 0.92,
	/** At most this share of the picture's area is covered by lettering. */
	maxCoverage: 1 / 3,
} as const;

export const strokeWidth = (size: number) => Math.max(2, size * 0.09);

/**
 * Lays the elements out at one text size: the caption across the top, then the balloons top to bottom on
 * their sides. Returns undefined when they do not fit the picture or would cover more than a third of it.
 */
export function layoutAt(elements: readonly Element[], picture: Size, size: number, measure: Measure): Placed[] | undefined {
	const unit = Math.sqrt(picture.width * picture.height);
	const margin = Math.round(unit * SCALE.margin);
	const gap = Math.round(size * 0.45);
	const placed: Placed[] = [];
	let top = margin;
	let area = 0;
	for (const element of elements) {
		const item = place(element, picture, size, margin, top, measure);
		if (!item) return undefined;
		if (item.box.y + item.box.height > picture.height - margin) return undefined;
		area += item.box.width * item.box.height;
		placed.push(item);
		top = item.box.y + item.box.height + gap;
	}
	return area <= picture.width * picture.height * SCALE.maxCoverage ? placed : undefined;
}

function place(element: Element, picture: Size, size: number, margin: number, top: number, measure: Measure): Placed | undefined {
	const stroke = strokeWidth(size);
	const room = picture.width - 2 * margin;
	if (element.kind === 'caption') {
		const pad = size * 0.5;
		const lineHeight = size * 1.2;
		const lines = wrap(element.text, room - 2 * pad - stroke, (line) => measure(line, element.role, size));
		if (!lines) return undefined;
		const textWidth = Math.max(...lines.map((line) => measure(line, element.role, size)));
		const body = { x: margin, y: top, width: Math.ceil(textWidth + 2 * pad), height: Math.ceil(lines.length * lineHeight + 2 * pad) };
		return { kind: 'caption', role: element.role, size, lineHeight, lines, body, box: grow(body, stroke), text: inset(body, pad) };
	}
	const shout = element.kind === 'shout';
	const textSize = shout ? size * 1.12 : size;
	const lineHeight = textSize * (shout ? 1.08 : 1.18);
	// A balloon takes at most ~62 % of the width so balloons on both sides read as a conversation.
	const bodyRoom = Math.min(room, picture.width * 0.62);
	const padX = shout ? size * 1.1 : size * 0.85;
	const padY = shout ? size * 1.0 : size * 0.55;
	const lines = wrap(element.text, bodyRoom - 2 * padX - stroke, (line) => measure(line, element.role, textSize));
	if (!lines) return undefined;
	const textWidth = Math.max(...lines.map((line) => measure(line, element.role, textSize)));
	const width = Math.ceil(textWidth + 2 * padX);
	const height = Math.ceil(lines.length * lineHeight + 2 * padY);
	const side = element.side ?? 'left';
	const x = side === 'left' ? margin : picture.width - margin - width;
	const body = { x, y: top, width, height };
	const tailLength = size * 1.3;
	const tipX = side === 'left' ? x + width * 0.16 : x + width * 0.84;
	const tail = { side, tipX, tipY: top + height + tailLength };
	const box = grow({ x, y: top, width, height: height + tailLength }, stroke);
	return { kind: element.kind, role: element.role, size: textSize, lineHeight, lines, body, box, text: inset(body, padX, padY), tail };
}

/** Greedy word wrap; a word wider than the line is broken between characters. Undefined if nothing fits. */
export function wrap(text: string, maxWidth: number, width: (line: string) => number): string[] | undefined {
	if (maxWidth <= 0) return undefined;
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		const candidate = line === '' ? word : `${line} ${word}`;
		if (width(candidate) <= maxWidth) {
			line = candidate;
			continue;
		}
		if (line !== '') lines.push(line);
		line = '';
		if (width(word) <= maxWidth) {
			line = word;
			continue;
		}
		for (const char of word) {
			if (line !== '' && width(line + char) > maxWidth) {
				lines.push(line);
				line = '';
			}
			line += char;
		}
		if (width(line) > maxWidth) return undefined;
	}
	if (line !== '') lines.push(line);
	return lines;
}

function grow(box: Box, by: number): Box {
	const edge = Math.ceil(by) + 1;
	return { x: Math.floor(box.x - edge), y: Math.floor(box.y - edge), width: Math.ceil(box.width + 2 * edge), height: Math.ceil(box.height + 2 * edge) };
}

function inset(box: Box, x: number, y = x): Box {
	return { x: box.x + x, y: box.y + y, width: box.width - 2 * x, height: box.height - 2 * y };
}
