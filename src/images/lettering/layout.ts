import type { Size } from '../engine.ts';
import type { FontRole } from '../fonts.ts';
import { coverOf, faceAt, type SubjectMap } from './subjects.ts';

/** Measures the advance width of `text` in a font role at a size, in pixels. */
export type Measure = (text: string, role: FontRole, size: number) => number;

export type BoxKind = 'caption' | 'speech' | 'shout' | 'whisper' | 'thought';

export interface Box {
	readonly x: number;
	readonly y: number;
	readonly width: number;
	readonly height: number;
}

/** A stretch of one line in one font; `heavy` is `**strong**` emphasis, drawn with an ink outline too. */
export interface Run {
	readonly text: string;
	readonly role: FontRole;
	readonly heavy: boolean;
	/** From the line's left end. */
	readonly x: number;
}

export interface Line {
	readonly runs: readonly Run[];
	readonly width: number;
}

/** One caption box or balloon, placed: its outer box (tail and stroke included) and its broken lines. */
export interface Placed {
	readonly kind: BoxKind;
	readonly role: FontRole;
	readonly size: number;
	readonly lineHeight: number;
	readonly lines: readonly Line[];
	/** The box everything drawn for this element lies in. */
	readonly box: Box;
	/** The balloon's or caption's body (the ellipse's bounding box), without its tail. */
	readonly body: Box;
	/** Where the text block sits. */
	readonly text: Box;
	/** The tail, from the body's edge toward the speaker; thoughts draw bubbles along it. */
	readonly tail?: { readonly baseX: number; readonly baseY: number; readonly tipX: number; readonly tipY: number };
	/** A later part of a long speech, butted to the balloon before it (no tail of its own). */
	readonly butted?: boolean;
}

export interface Element {
	readonly kind: BoxKind;
	readonly role: FontRole;
	readonly text: string;
	/** The side the speaker keeps for the whole panel. */
	readonly side?: 'left' | 'right';
}

/**
 * Sizes are shares of the picture's WIDTH: strips and pages scale panels to one width, so the same share
 * gives the same reading size on portrait, square and landscape panels (cap height ≈ 0.68 × size in
 * Comic Neue: 0.033 × 800 × 0.68 ≈ 18 px in an 800 px strip).
 */
export const SCALE = {
	dialogue: 0.033,
	caption: 0.92,
	shout: 1.15,
	/** The text shrinks at most to this share before a layout is refused: ≤ 10 % between panels. */
	floor: 0.92,
	/** Clear of the panel's edge, as a share of the width. */
	margin: 0.032,
	/** A speech longer than this many lines is split into butted balloons. */
	maxLines: 5,
	/** At most this share of the picture's area is covered by lettering. */
	maxCoverage: 1 / 3,
} as const;

export const strokeWidth = (size: number) => Math.max(1.5, size * 0.085);

export function baseSize(picture: Size): number {
	return picture.width * SCALE.dialogue;
}

/**
 * Lays the elements out at one text size, where the picture is emptiest: each element in reading order
 * tries every position on a grid and takes the cheapest (faces cost most, then busy areas, then distance
 * from the top and from its speaker's side). Returns undefined when they do not fit.
 */
export function layoutAt(elements: readonly Element[], picture: Size, size: number, measure: Measure, map: SubjectMap): Placed[] | undefined {
	const margin = Math.ceil(picture.width * SCALE.margin);
	const options: Shape[][][] = [];
	for (const element of elements) {
		const first = shapesOf(element, picture, size, margin, measure);
		if (!first) return undefined;
		options.push(alternatives(element, picture, size, margin, measure, first));
	}
	// Greedy placement, started three times: the first element's best spot, then its best spot away from
	// the earlier starts. The layout that hides least of the picture in all wins (a caption that takes
	// the top band's middle can push every balloon down).
	let best: { placed: Placed[]; cost: number } | undefined;
	const avoid: Box[] = [];
	const inOrder = elements.map((_, index) => index);
	// Also: the balloons first and the caption after, in whatever corner is left.
	const captionLast = [...inOrder.filter((index) => elements[index]?.kind !== 'caption'), ...inOrder.filter((index) => elements[index]?.kind === 'caption')];
	const tries = elements[0]?.kind === 'caption' && elements.length > 1 ? 4 : 3;
	for (let start = 0; start < tries; start++) {
		const order = start === 3 ? captionLast : inOrder;
		const placed = greedy(elements, options, picture, size, margin, map, start === 3 ? [] : avoid, order);
		const head = placed?.[0];
		if (!placed || !head) continue;
		const cost = placed.reduce((sum, item) => sum + (COST.get(item) ?? 0), 0);
		if (!best || cost < best.cost - 0.01) best = { placed, cost };
		if (start < 3) avoid.push(head.body);
		// Every element in a clear spot near the top: other starts cannot do much better.
		if (start === 0 && placed.every((item) => (COST.get(item) ?? 0) < 0.8)) break;
	}
	if (!best) return undefined;
	const area = best.placed.reduce((sum, item) => sum + item.body.width * item.body.height, 0);
	return area <= picture.width * picture.height * SCALE.maxCoverage ? best.placed : undefined;
}

/** What each placed element's spot cost (faces, busyness, order, side), to compare whole layouts. */
const COST = new WeakMap<Placed, number>();

function greedy(
	elements: readonly Element[],
	options: readonly Shape[][][],
	picture: Size,
	size: number,
	margin: number,
	map: SubjectMap,
	avoid: readonly Box[],
	order: readonly number[],
): Placed[] | undefined {
	const gap = Math.round(size * 0.35);
	const placed: Placed[] = [];
	for (const index of order) {
		const element = elements[index];
		if (!element) continue;
		const away = index === order[0] ? avoid : [];
		const chosen = cheapest(options[index] ?? [], element, picture, margin, placed, gap, map, away);
		const shapes = chosen.shapes;
		// Butted parts are placed as one group: the first part takes the spot where all of them fit.
		const footprint = {
			width: Math.max(...shapes.map((shape) => shape.width)) + (shapes.length > 1 ? Math.round(size) : 0),
			height: shapes.reduce((sum, shape, at) => sum + shape.height * (at === 0 ? 1 : 0.78), 0),
		};
		let previous: Placed | undefined;
		for (const shape of shapes) {
			const item = previous
				? buttTo(previous, shape, picture, margin, placed, gap, map)
				: (chosen.spot ?? position({ ...shape, ...footprint }, element, picture, margin, placed, gap, map, shape, away));
			if (!item) return undefined;
			// A tail across another balloon or caption: allowed, but this layout should lose to one without.
			const { tail } = item;
			if (tail && placed.some((other) => crosses(other.body, tail.baseX, tail.baseY, tail.tipX, tail.tipY))) COST.set(item, (COST.get(item) ?? 0) + 2);
			placed.push(item);
			ELEMENT.set(item, index);
			previous = item;
		}
	}
	// Back in reading order (the drawing order and the boxes callers see).
	return placed
		.map((item, at) => ({ item, at }))
		.sort((p, q) => (ELEMENT.get(p.item) ?? 0) - (ELEMENT.get(q.item) ?? 0) || p.at - q.at)
		.map(({ item }) => item);
}

const ELEMENT = new WeakMap<Placed, number>();

/** Of several ways to break one balloon, the one whose best position hides least of the picture. */
function cheapest(
	options: Shape[][],
	element: Element,
	picture: Size,
	margin: number,
	placed: readonly Placed[],
	gap: number,
	map: SubjectMap,
	avoid: readonly Box[],
): { shapes: Shape[]; spot?: Placed } {
	if (options.length === 1) return { shapes: options[0] ?? [] };
	let best: { shapes: Shape[]; cost: number; spot: Placed } | undefined;
	for (const [index, shapes] of options.entries()) {
		// The usual shape in a clear spot: no need to try the others.
		if (index > 0 && best && best.cost < 0.6) break;
		const shape = shapes[0];
		if (!shape) continue;
		const spot = position(shape, element, picture, margin, placed, gap, map, shape, avoid);
		if (!spot) continue;
		const cover = coverOf(map, spot.body);
		const cost = COST.get(spot) ?? 60 * cover.face + 2.2 * cover.busy + 0.9 * (spot.body.y / picture.height);
		if (!best || cost < best.cost - 0.02) best = { shapes, cost, spot };
	}
	return best ?? { shapes: options[0] ?? [] };
}

/** An element's body before it is placed: its size, lines and kind, at the origin. */
interface Shape {
	readonly kind: BoxKind;
	readonly role: FontRole;
	readonly size: number;
	readonly lineHeight: number;
	readonly lines: readonly Line[];
	readonly width: number;
	readonly height: number;
	readonly textWidth: number;
	readonly textHeight: number;
}

function shapesOf(element: Element, picture: Size, size: number, margin: number, measure: Measure): Shape[] | undefined {
	const room = picture.width - 2 * margin;
	if (element.kind === 'caption') {
		const textSize = size * SCALE.caption;
		const pad = textSize * 0.5;
		const lineHeight = textSize * 1.2;
		// A caption is a box along an edge: at most 70 % of the width unless it needs more lines than that allows.
		for (const share of [0.62, 0.8, 1]) {
			const lines = breakLines(words(element.text, element.role, textSize, measure), Math.min(room, picture.width * share) - 2 * pad, measure, textSize, false);
			if (!lines) continue;
			if (lines.length > 4 && share < 1) continue;
			const textWidth = Math.max(...lines.map((line) => line.width));
			const textHeight = lines.length * lineHeight;
			return [
				{
					kind: 'caption',
					role: element.role,
					size: textSize,
					lineHeight,
					lines,
					width: Math.ceil(textWidth + 2 * pad),
					height: Math.ceil(textHeight + 2 * pad),
					textWidth,
					textHeight,
				},
			];
		}
		return undefined;
	}
	return balloonShapes(element, picture, size, room, measure, 1);
}

function balloonShapes(element: Element, picture: Size, size: number, room: number, measure: Measure, aspect: number): Shape[] | undefined {
	const textSize = element.kind === 'shout' ? size * SCALE.shout : size;
	const lineHeight = textSize * (element.kind === 'shout' ? 1.05 : 1.16);
	// A balloon takes at most ~60 % of the width so balloons on both sides read as a conversation.
	const maxText = Math.min(room * 0.78, picture.width * 0.6) - textSize;
	const all = words(element.text, element.role, textSize, measure);
	const lines = breakLines(all, maxText, measure, textSize, true, aspect);
	if (!lines) return undefined;
	const parts = lines.length > SCALE.maxLines ? splitSpeech(all, maxText, measure, textSize) : [lines];
	if (!parts) return undefined;
	return parts.map((partLines) => ellipseAround(element.kind, element.role, textSize, lineHeight, partLines));
}

/** The same balloon broken wider and flatter, or narrower and taller: placement takes the one that hides least. */
function alternatives(element: Element, picture: Size, size: number, margin: number, measure: Measure, first: Shape[]): Shape[][] {
	if (element.kind === 'caption' || first.length > 1) return [first];
	const room = picture.width - 2 * margin;
	const more = [2.2, 0.5].flatMap((aspect) => {
		const shapes = balloonShapes(element, picture, size, room, measure, aspect);
		return shapes && shapes.length === 1 && shapes[0]?.lines.length !== first[0]?.lines.length ? [shapes] : [];
	});
	return [first, ...more];
}

/** The smallest ellipse (by area) around the centred lines, with room for the stroke. */
function ellipseAround(kind: BoxKind, role: FontRole, size: number, lineHeight: number, lines: readonly Line[]): Shape {
	const textHeight = lines.length * lineHeight;
	const textWidth = Math.max(...lines.map((line) => line.width));
	const padX = size * 0.55;
	const padY = size * 0.3;
	let best = { a: Number.POSITIVE_INFINITY, b: 1 };
	for (let factor = 1.1; factor <= 2.4; factor += 0.05) {
		const b = (textHeight / 2 + padY) * factor;
		let a = 0;
		lines.forEach((line, index) => {
			const top = Math.abs(-textHeight / 2 + index * lineHeight);
			const bottom = Math.abs(-textHeight / 2 + (index + 1) * lineHeight);
			// x ascends a little less than the line height: the line's ink is inside it.
			const y = Math.max(top, bottom) - lineHeight * 0.12 + padY * 0.5;
			const x = line.width / 2 + padX;
			a = Math.max(a, x / Math.sqrt(Math.max(0.05, 1 - (y / b) ** 2)));
		});
		if (a * b < best.a * best.b && a / b < 3.2) best = { a, b };
	}
	// Bursts and clouds draw their points and bumps outside the ellipse.
	const grow = kind === 'shout' ? 1.22 : kind === 'thought' ? 1.12 : 1;
	return {
		kind,
		role,
		size,
		lineHeight,
		lines,
		width: Math.ceil(2 * best.a * grow),
		height: Math.ceil(2 * best.b * grow),
		textWidth,
		textHeight,
	};
}

/**
 * Splits a long speech into as few butted balloons as hold at most SCALE.maxLines lines each, cut at
 * sentence ends (evenly), or between words inside a sentence too long for one balloon.
 */
function splitSpeech(all: readonly Word[], maxText: number, measure: Measure, size: number): Line[][] | undefined {
	const fits = (from: number, to: number) => {
		const lines = breakLines(all.slice(from, to), maxText, measure, size, true);
		return lines && lines.length <= SCALE.maxLines ? lines : undefined;
	};
	// Sentence ends: the index after each word that closes a sentence.
	const ends: number[] = [];
	all.forEach((word, index) => {
		if (/[.!?…]["”’)]*$/u.test(textOf(word)) && index < all.length - 1) ends.push(index + 1);
	});
	ends.push(all.length);
	const parts: Line[][] = [];
	let start = 0;
	while (start < all.length) {
		// The furthest sentence end that still fits; without one, the most words that fit.
		let end = [...ends].reverse().find((candidate) => candidate > start && fits(start, candidate));
		if (end === undefined) {
			end = start + 1;
			while (end < all.length && fits(start, end + 1)) end++;
			// Leave the rest of a sentence at least a few words, so no balloon holds one lonely word.
			const cut = end;
			const sentenceEnd = ends.find((candidate) => candidate > cut) ?? all.length;
			if (sentenceEnd - cut < 3 && cut - start > 6) end = Math.max(start + 1, cut - 3);
		}
		const lines = fits(start, end);
		if (!lines) return undefined;
		parts.push(lines);
		start = end;
	}
	return parts;
}

const textOf = (word: Word | undefined) => word?.pieces.map((piece) => piece.text).join('') ?? '';

interface Candidate {
	readonly x: number;
	readonly y: number;
	readonly cost: number;
}

function position(
	shape: Shape,
	element: Element,
	picture: Size,
	margin: number,
	placed: readonly Placed[],
	gap: number,
	map: SubjectMap,
	first: Shape = shape,
	avoid: readonly Box[] = [],
): Placed | undefined {
	const stroke = strokeWidth(shape.size);
	const edge = Math.ceil(stroke) + 1;
	const minX = margin + edge;
	const minY = margin + edge;
	const maxX = picture.width - margin - edge - shape.width;
	const maxY = picture.height - margin - edge - shape.height;
	if (maxX < minX || maxY < minY) return undefined;
	const step = Math.max(6, Math.min(picture.width, picture.height) / 30);
	const xs = steps(minX, maxX, step);
	const ys = steps(minY, maxY, step);
	const last = [...placed].reverse().find((item) => item.kind !== 'caption' || item.body.y < picture.height / 2);
	const target = element.kind === 'caption' ? undefined : speakerPoint(map, picture, element.side);
	// Earlier elements with their tails: nothing is placed over a tail.
	const blocked = placed.map((item) => grown(item.tail ? item.box : item.body, gap));
	const balloons = placed.filter((item) => item.kind !== 'caption');
	const costAt = (x: number, y: number): number | undefined => {
		const body = { x, y, width: shape.width, height: shape.height };
		for (const box of blocked) if (overlaps(box, body)) return undefined;
		for (const box of avoid) if (overlaps(box, body)) return undefined;
		if (element.kind === 'caption' && !touchesEdge(body, picture, margin + edge, step)) return undefined;
		const cover = coverOf(map, body);
		// A caption is a box in a corner by convention: it may cover background detail, not a face.
		const caption = element.kind === 'caption';
		let cost = 60 * cover.face + (caption ? 1 : 2.2) * cover.busy + 0.9 * (y / picture.height);
		if (caption && x > minX + step && x + shape.width < picture.width - margin - edge - step) cost += 0.6;
		// Reading order: after the element before, below it or to its right; and above none of the
		// balloons before it unless to their right.
		if (last) {
			const below = y >= last.body.y + last.body.height * 0.25;
			const right = x >= last.body.x + last.body.width * 0.5 && y >= last.body.y - last.body.height * 0.5;
			if (!below && !right) cost += 3;
		}
		for (const earlier of balloons) {
			if (y + shape.height * 0.5 < earlier.body.y && x < earlier.body.x + earlier.body.width * 0.8) cost += 3;
		}
		if (target && element.side) {
			const centre = x + shape.width / 2;
			const wanted = element.side === 'left' ? Math.min(target.x, picture.width * 0.4) : Math.max(target.x, picture.width * 0.6);
			cost += 0.8 * (Math.abs(centre - wanted) / picture.width);
			// Balloons sit above or beside the speaker's head; one under it reads as someone else's.
			if (y + shape.height / 2 > target.y) cost += 1;
		} else if (element.kind === 'caption') cost += 0.4 * (x / picture.width);
		return cost;
	};
	let best: Candidate | undefined;
	for (const y of ys) {
		for (const x of xs) {
			const cost = costAt(x, y);
			if (cost !== undefined && (!best || cost < best.cost)) best = { x, y, cost };
		}
	}
	// Then a finer look around the best spot of the coarse grid.
	if (best) {
		const around: Candidate = best;
		const fine = step / 3;
		for (let dy = -2; dy <= 2; dy++) {
			for (let dx = -2; dx <= 2; dx++) {
				const x = Math.round(Math.min(maxX, Math.max(minX, around.x + dx * fine)));
				const y = Math.round(Math.min(maxY, Math.max(minY, around.y + dy * fine)));
				const cost = costAt(x, y);
				if (cost !== undefined && cost < (best?.cost ?? Number.POSITIVE_INFINITY)) best = { x, y, cost };
			}
		}
	}
	if (!best) return undefined;
	const item = finish(first, best.x, best.y, picture, map, element.kind === 'caption' ? undefined : target, false);
	COST.set(item, best.cost);
	return item;
}

/** A later part of a long speech: under the previous part, overlapping it a little, shifted sideways. */
function buttTo(previous: Placed, shape: Shape, picture: Size, margin: number, placed: readonly Placed[], gap: number, map: SubjectMap): Placed | undefined {
	const edge = Math.ceil(strokeWidth(shape.size)) + 1;
	const y = previous.body.y + previous.body.height - Math.min(previous.body.height, shape.height) * 0.22;
	if (y + shape.height > picture.height - margin - edge) return undefined;
	const others = placed.filter((item) => item !== previous);
	let best: Candidate | undefined;
	const minX = Math.max(margin + edge, previous.body.x - shape.width * 0.45);
	const maxX = Math.min(picture.width - margin - edge - shape.width, previous.body.x + previous.body.width - shape.width * 0.55);
	for (const x of steps(minX, maxX, Math.max(4, picture.width / 64))) {
		const body = { x, y, width: shape.width, height: shape.height };
		if (others.some((item) => overlaps(grown(item.body, gap), body))) continue;
		const cover = coverOf(map, body);
		// Butted balloons read best offset from each other, not stacked like plates.
		const offset = Math.abs(x + shape.width / 2 - (previous.body.x + previous.body.width / 2)) / previous.body.width;
		const cost = 60 * cover.face + 2.2 * cover.busy + Math.abs(offset - 0.2);
		if (!best || cost < best.cost) best = { x, y, cost };
	}
	if (!best) return undefined;
	const item = finish(shape, best.x, best.y, picture, map, undefined, true);
	COST.set(item, best.cost);
	return item;
}

function finish(shape: Shape, x: number, y: number, picture: Size, map: SubjectMap, target: { x: number; y: number } | undefined, butted: boolean): Placed {
	const body = { x, y, width: shape.width, height: shape.height };
	const text = { x: x + (shape.width - shape.textWidth) / 2, y: y + (shape.height - shape.textHeight) / 2, width: shape.textWidth, height: shape.textHeight };
	const stroke = strokeWidth(shape.size);
	const common = { kind: shape.kind, role: shape.role, size: shape.size, lineHeight: shape.lineHeight, lines: shape.lines, body, text };
	if (!target || shape.kind === 'caption') return { ...common, box: grow(body, stroke), ...(butted ? { butted } : {}) };
	const tail = tailToward(body, target, shape.size, picture, map);
	const box = grow(union(body, tail), stroke + (shape.kind === 'thought' ? shape.size * 0.4 : 0));
	return { ...common, box: clip(box, picture), tail };
}

/**
 * The tail leaves the ellipse toward the speaker and ends about half way there, shortened so that it
 * never reaches into a face.
 */
function tailToward(body: Box, target: { x: number; y: number }, size: number, picture: Size, map: SubjectMap) {
	const cx = body.x + body.width / 2;
	const cy = body.y + body.height / 2;
	const a = body.width / 2;
	const b = body.height / 2;
	let dx = target.x - cx;
	let dy = target.y - cy;
	if (Math.hypot(dx, dy) < 1 || (Math.abs(dx) < a && Math.abs(dy) < b)) {
		// The speaker is behind the balloon: a short tail downward.
		dx = 0;
		dy = 1;
	}
	const angle = Math.atan2(dy / b, dx / a);
	const baseX = cx + a * 0.92 * Math.cos(angle);
	const baseY = cy + b * 0.92 * Math.sin(angle);
	const distance = Math.hypot(target.x - baseX, target.y - baseY);
	let length = Math.min(size * 4.5, Math.max(size * 1.2, distance * 0.5));
	const ux = (target.x - baseX) / (distance || 1);
	const uy = (target.y - baseY) / (distance || 1);
	const direction = Math.abs(dx) < 1 && dy === 1 ? { x: 0, y: 1 } : { x: ux, y: uy };
	for (let along = size * 0.6; along <= length; along += size * 0.25) {
		if (faceAt(map, baseX + direction.x * along, baseY + direction.y * along) >= 0.35) {
			length = Math.max(size * 0.9, along - size * 0.5);
			break;
		}
	}
	const tipX = Math.min(picture.width - 2, Math.max(2, baseX + direction.x * length));
	const tipY = Math.min(picture.height - 2, Math.max(2, baseY + direction.y * length));
	return { baseX, baseY, tipX, tipY };
}

/** The speaker's face: the leftmost for the left side, the rightmost for the right; the centre without one. */
function speakerPoint(map: SubjectMap, picture: Size, side: 'left' | 'right' | undefined): { x: number; y: number } {
	if (map.subjects.length === 0) return { x: picture.width / 2, y: picture.height / 2 };
	const byX = [...map.subjects].sort((p, q) => p.x - q.x);
	const subject = (side === 'right' ? byX[byX.length - 1] : byX[0]) ?? byX[0];
	return subject ? { x: subject.x, y: subject.y } : { x: picture.width / 2, y: picture.height / 2 };
}

function touchesEdge(body: Box, picture: Size, inset: number, step: number): boolean {
	return (
		body.x <= inset + step ||
		body.y <= inset + step ||
		body.x + body.width >= picture.width - inset - step ||
		body.y + body.height >= picture.height - inset - step
	);
}

function steps(from: number, to: number, step: number): number[] {
	const out: number[] = [];
	for (let value = from; value < to; value += step) out.push(Math.round(value));
	out.push(Math.round(to));
	return out;
}

/** Whether the segment from (x0, y0) to (x1, y1) passes through the box (sampled; boxes are large). */
function crosses(box: Box, x0: number, y0: number, x1: number, y1: number): boolean {
	for (let t = 0.1; t <= 1; t += 0.1) {
		const x = x0 + (x1 - x0) * t;
		const y = y0 + (y1 - y0) * t;
		if (x > box.x && x < box.x + box.width && y > box.y && y < box.y + box.height) return true;
	}
	return false;
}

const overlaps = (p: Box, q: Box) => p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;

const grown = (box: Box, by: number): Box => ({ x: box.x - by, y: box.y - by, width: box.width + 2 * by, height: box.height + 2 * by });

function union(body: Box, tail: { tipX: number; tipY: number }): Box {
	const x = Math.min(body.x, tail.tipX);
	const y = Math.min(body.y, tail.tipY);
	return { x, y, width: Math.max(body.x + body.width, tail.tipX) - x, height: Math.max(body.y + body.height, tail.tipY) - y };
}

function clip(box: Box, picture: Size): Box {
	const x = Math.max(0, box.x);
	const y = Math.max(0, box.y);
	return { x, y, width: Math.min(picture.width, box.x + box.width) - x, height: Math.min(picture.height, box.y + box.height) - y };
}

function grow(box: Box, by: number): Box {
	const edge = Math.ceil(by) + 1;
	return { x: Math.floor(box.x - edge), y: Math.floor(box.y - edge), width: Math.ceil(box.width + 2 * edge), height: Math.ceil(box.height + 2 * edge) };
}

// ---- Words, emphasis and line breaks ----

interface Piece {
	readonly text: string;
	readonly role: FontRole;
	readonly heavy: boolean;
}

/** A word as lettered: pieces in their fonts; `joined` when no space comes before it (after a dash). */
export interface Word {
	readonly pieces: readonly Piece[];
	readonly width: number;
	readonly joined: boolean;
}

/** Emphasis in a dialogue font is its italic; in the italic caption font, the upright one. */
const EMPHASIS: Record<FontRole, FontRole> = { dialogue: 'caption', caption: 'dialogue', shout: 'shout' };

const MARKS = /\*\*(.+?)\*\*|__(.+?)__|\*(.+?)\*|(?<![\p{L}\p{N}])_(.+?)_(?![\p{L}\p{N}])/gu;

/** The text's words with `*x*`/`_x_` (italic) and `**x**`/`__x__` (heavy italic) lettered without the marks. */
export function words(text: string, role: FontRole, size: number, measure: Measure): Word[] {
	const pieces: Piece[] = [];
	let at = 0;
	for (const match of text.matchAll(MARKS)) {
		if (match.index > at) pieces.push({ text: text.slice(at, match.index), role, heavy: false });
		const strong = match[1] ?? match[2];
		pieces.push({ text: strong ?? match[3] ?? match[4] ?? '', role: EMPHASIS[role], heavy: strong !== undefined });
		at = match.index + match[0].length;
	}
	if (at < text.length) pieces.push({ text: text.slice(at), role, heavy: false });
	// Split the pieces into words at spaces, and after dashes (a break with no space).
	const out: Word[] = [];
	let current: Piece[] = [];
	let joined = false;
	const flush = (nextJoined: boolean) => {
		const kept = current.filter((piece) => piece.text !== '');
		if (kept.length > 0) out.push({ pieces: kept, width: kept.reduce((sum, piece) => sum + measure(piece.text, piece.role, size), 0), joined });
		current = [];
		joined = nextJoined;
	};
	for (const piece of pieces) {
		for (const token of piece.text.split(/( |(?<=[—–])(?=\S))/u)) {
			if (token === ' ') flush(false);
			else if (token === '') {
				if (current.length > 0) flush(true);
			} else if (UNSPACED.test(token)) {
				// Japanese, Chinese and Thai put no spaces between words: a line may break between
				// any two of the words ICU's segmenter finds (joined: no space is added there).
				const parts = [...SEGMENTER.segment(token)].map((part) => part.segment);
				parts.forEach((part, index) => {
					if (index > 0 && !NO_START.test(part)) flush(true);
					current.push({ ...piece, text: part });
				});
			} else current.push({ ...piece, text: token });
		}
	}
	flush(false);
	return out;
}

/** Characters that must not start a line (closing punctuation, dashes; the CJK full stop, comma and small kana). */
const NO_START = /^[\p{Pe}\p{Pf}\p{Pd}.,;:!?…%。、，．！？：；ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ]/u;

/** Scripts written without spaces between words. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const SEGMENTER = new Intl.Segmenter(undefined, { granularity: 'word' });

/**
 * Breaks words into balanced lines. Balloons get a lozenge (middle lines longest, following an ellipse);
 * captions even lines. No line starts with closing punctuation or a dash, the last line is not one lone
 * word when that can be helped, and a word wider than a line is broken with a hyphen.
 */
export function breakLines(all: readonly Word[], maxWidth: number, measure: Measure, size: number, lozenge: boolean, aspect = 1): Line[] | undefined {
	if (maxWidth <= 0 || all.length === 0) return all.length === 0 ? [] : undefined;
	const role = all[0]?.pieces[0]?.role ?? 'dialogue';
	const space = measure(' ', role, size);
	const items = all.flatMap((word) => (word.width <= maxWidth ? [word] : hyphenate(word, maxWidth, measure, size)));
	if (items.some((word) => word.width > maxWidth)) return undefined;
	const n = items.length;
	// Prefix sums: a line's width in constant time (the partition tries every pair of break points).
	const widths = [0];
	const spaces = [0];
	items.forEach((word, index) => {
		widths.push((widths[index] ?? 0) + word.width);
		spaces.push((spaces[index] ?? 0) + (index > 0 && !word.joined ? space : 0));
	});
	const lineWidth = (from: number, to: number) => (widths[to] ?? 0) - (widths[from] ?? 0) + (spaces[to] ?? 0) - (spaces[from + 1] ?? 0);
	const total = lineWidth(0, n);
	const least = Math.max(1, Math.ceil(total / maxWidth));
	let best: { breaks: number[]; score: number } | undefined;
	for (let count = least; count <= Math.min(n, least + 8); count++) {
		const profile = Array.from({ length: count }, (_, index) => {
			const t = count === 1 ? 0 : ((index + 0.5) / count) * 2 - 1;
			return lozenge ? Math.sqrt(1 - 0.6 * t * t) : 1;
		});
		const longest = Math.min(maxWidth, (total / profile.reduce((sum, value) => sum + value, 0)) * 1.04);
		const result = partition(n, count, (from, to, line) => {
			const width = lineWidth(from, to);
			if (width > maxWidth) return Number.POSITIVE_INFINITY;
			const target = longest * (profile[line] ?? 1);
			let cost = ((width - target) / Math.max(target, 1)) ** 2;
			if (from > 0 && NO_START.test(items[from]?.pieces[0]?.text ?? '')) cost += 50;
			if (line === count - 1 && count > 1 && to - from === 1 && n > 2) cost += 4;
			return cost;
		});
		if (!result) continue;
		// Balloons read best a little wider than tall: prefer 1.6–2.6 times as wide as the text is high.
		const height = count * size * 1.16;
		const width = Math.max(...result.breaks.map((end, index) => lineWidth(index === 0 ? 0 : (result.breaks[index - 1] ?? 0), end)));
		const ratio = width / height;
		const shapeCost = lozenge ? Math.log(ratio / (2.1 * aspect)) ** 2 * 0.6 : (count - least) * 0.3;
		const score = result.cost + shapeCost;
		if (!best || score < best.score) best = { breaks: result.breaks, score };
	}
	if (!best) return undefined;
	const lines: Line[] = [];
	let from = 0;
	for (const end of best.breaks) {
		const runs: Run[] = [];
		let x = 0;
		for (let index = from; index < end; index++) {
			const word = items[index];
			if (!word) continue;
			if (index > from && !word.joined) x += space;
			for (const piece of word.pieces) {
				const last = runs[runs.length - 1];
				const width = measure(piece.text, piece.role, size);
				// Consecutive pieces in one font become one run (with their space) so kerning stays.
				if (last && last.role === piece.role && last.heavy === piece.heavy) {
					const gapText = index > from && !word.joined && piece === word.pieces[0] ? ' ' : '';
					runs[runs.length - 1] = { ...last, text: last.text + gapText + piece.text };
				} else runs.push({ text: piece.text, role: piece.role, heavy: piece.heavy, x });
				x += width;
			}
		}
		lines.push({ runs, width: x });
		from = end;
	}
	return lines;
}

/** The least total cost of cutting n items into `count` lines; `breaks` are each line's end index. */
function partition(n: number, count: number, cost: (from: number, to: number, line: number) => number): { breaks: number[]; cost: number } | undefined {
	const best = Array.from({ length: count + 1 }, () => new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY));
	const back = Array.from({ length: count + 1 }, () => new Int32Array(n + 1));
	(best[0] as Float64Array)[0] = 0;
	for (let line = 1; line <= count; line++) {
		const row = best[line] as Float64Array;
		const before = best[line - 1] as Float64Array;
		for (let to = line; to <= n - (count - line); to++) {
			for (let from = line - 1; from < to; from++) {
				const prior = before[from] ?? Number.POSITIVE_INFINITY;
				if (prior === Number.POSITIVE_INFINITY) continue;
				const value = prior + cost(from, to, line - 1);
				if (value < (row[to] ?? Number.POSITIVE_INFINITY)) {
					row[to] = value;
					(back[line] as Int32Array)[to] = from;
				}
			}
		}
	}
	const total = (best[count] as Float64Array)[n] ?? Number.POSITIVE_INFINITY;
	if (total === Number.POSITIVE_INFINITY) return undefined;
	const breaks: number[] = [];
	let to = n;
	for (let line = count; line >= 1; line--) {
		breaks.unshift(to);
		to = (back[line] as Int32Array)[to] ?? 0;
	}
	return { breaks, cost: total };
}

/** A word too wide for any line, cut into parts that end with a hyphen. */
function hyphenate(word: Word, maxWidth: number, measure: Measure, size: number): Word[] {
	const parts: Word[] = [];
	let pieces: Piece[] = [];
	let width = 0;
	let first = true;
	for (const piece of word.pieces) {
		let text = '';
		for (const char of piece.text) {
			const charWidth = measure(char, piece.role, size);
			if (width + charWidth + measure('-', piece.role, size) > maxWidth && (text !== '' || pieces.length > 0)) {
				const done = text === '' ? pieces : [...pieces, { ...piece, text }];
				const last = done[done.length - 1];
				// Scripts without spaces break between any two characters, without a hyphen.
				if (last && !UNSPACED.test([...last.text].pop() ?? '')) done[done.length - 1] = { ...last, text: `${last.text}-` };
				parts.push(measured(done, first ? word.joined : false, measure, size));
				first = false;
				pieces = [];
				text = '';
				width = 0;
			}
			text += char;
			width += charWidth;
		}
		if (text !== '') pieces.push({ ...piece, text });
	}
	if (pieces.length > 0) parts.push(measured(pieces, first ? word.joined : false, measure, size));
	return parts;
}

function measured(pieces: readonly Piece[], joined: boolean, measure: Measure, size: number): Word {
	return { pieces, joined, width: pieces.reduce((sum, piece) => sum + measure(piece.text, piece.role, size), 0) };
}
