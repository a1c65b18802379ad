import type { Canvas, Path2D, SKRSContext2D } from '@napi-rs/canvas';
import type { Size } from '../engine.ts';
import { font } from '../fonts.ts';
import { canvasModule } from '../native.ts';
import { directionOf, hanFor } from '../scripts.ts';
import { crossbars } from './crossbar.ts';
import { type Placed, strokeWidth } from './layout.ts';

const INK = '#111111';
const PAPER = '#ffffff';
const CAPTION_PAPER = '#fff4c8';

/**
 * Draws the placed elements on a transparent layer the picture's size. Strokes first at double width,
 * then fills: the fills cover the inner half of the strokes, so a tail merges with its balloon and
 * butted balloons merge with each other without a seam.
 */
export function drawLettering(picture: Size, placed: readonly Placed[]): Canvas {
	const canvas = canvasModule().createCanvas(picture.width, picture.height);
	const ctx = canvas.getContext('2d');
	ctx.lineJoin = 'round';
	ctx.lineCap = 'round';
	// The same choice of CJK font as when the words were measured (from all of the panel's words).
	const han = hanFor(placed.flatMap((item) => item.lines.flatMap((line) => line.runs.map((run) => run.text))).join(' '));
	// Butted balloons are drawn as one group: all their strokes, then all their fills.
	const groups: Placed[][] = [];
	for (const item of placed) {
		const group = groups[groups.length - 1];
		if (item.butted && group) group.push(item);
		else groups.push([item]);
	}
	for (const group of groups) {
		const shapes = group.flatMap(shapesOf);
		for (const { path, item, dashed } of shapes) {
			ctx.lineWidth = strokeWidth(item.size) * 2;
			ctx.strokeStyle = INK;
			ctx.setLineDash(dashed ? [item.size * 0.5, item.size * 0.32] : []);
			ctx.stroke(path);
		}
		ctx.setLineDash([]);
		for (const { path, item, dashed } of shapes) {
			ctx.fillStyle = item.kind === 'caption' ? CAPTION_PAPER : PAPER;
			if (dashed) {
				// A dashed outline's gaps must show the picture, so the fill stays inside the stroke.
				ctx.save();
				ctx.clip(path);
				ctx.fill(path);
				ctx.restore();
			} else ctx.fill(path);
		}
		for (const item of group) drawText(ctx, item, han);
	}
	return canvas;
}

interface Shape {
	readonly path: Path2D;
	readonly item: Placed;
	readonly dashed: boolean;
}

function shapesOf(item: Placed): Shape[] {
	const dashed = item.kind === 'whisper';
	switch (item.kind) {
		case 'caption':
			return [{ path: captionShape(item), item, dashed }];
		case 'shout':
			return [{ path: burstShape(item), item, dashed }, ...tail(item, 0.35)];
		case 'thought':
			return [{ path: cloudShape(item), item, dashed }, ...bubbles(item)];
		default:
			return [{ path: ellipseShape(item), item, dashed }, ...tail(item, 0.28).map((shape) => ({ ...shape, dashed }))];
	}
}

function drawText(ctx: SKRSContext2D, item: Placed, han: ReturnType<typeof hanFor>): void {
	ctx.textBaseline = 'middle';
	ctx.textAlign = 'left';
	// A right-to-left line (Arabic, Hebrew) is laid out right to left by Skia's bidi; its base direction
	// decides where neutral characters at its ends (a final "!") go.
	ctx.direction = directionOf(item.lines.flatMap((line) => line.runs.map((run) => run.text)).join(' '));
	item.lines.forEach((line, index) => {
		const left = item.kind === 'caption' ? item.text.x : item.text.x + (item.text.width - line.width) / 2;
		const y = item.text.y + (index + 0.5) * item.lineHeight;
		for (const run of line.runs) {
			ctx.font = font(run.role, item.size, run.text, han);
			ctx.fillStyle = INK;
			ctx.fillText(run.text, left + run.x, y);
			if (run.role === 'shout') {
				for (const bar of crossbars(run.text, item.size, (prefix) => ctx.measureText(prefix).width))
					ctx.fillRect(left + run.x + bar.x, y + bar.y, bar.width, bar.height);
			}
			if (run.heavy) {
				// `**strong**`: the italic with an ink outline, a weight heavier than the bold around it.
				ctx.lineWidth = item.size * 0.05;
				ctx.strokeStyle = INK;
				ctx.strokeText(run.text, left + run.x, y);
			}
		}
	});
}

function path(): Path2D {
	return new (canvasModule().Path2D)();
}

function captionShape(item: Placed): Path2D {
	const shape = path();
	shape.rect(item.body.x, item.body.y, item.body.width, item.body.height);
	return shape;
}

function ellipseShape(item: Placed): Path2D {
	const { x, y, width, height } = item.body;
	const shape = path();
	shape.ellipse(x + width / 2, y + height / 2, width / 2, height / 2, 0, 0, Math.PI * 2);
	return shape;
}

/** A burst: points alternating between the ellipse's outline and one 18 % inside it, irregular like ink. */
function burstShape(item: Placed): Path2D {
	const { x, y, width, height } = item.body;
	const cx = x + width / 2;
	const cy = y + height / 2;
	const spikes = Math.max(14, Math.round((Math.PI * (width + height)) / (item.size * 1.9)));
	const shape = path();
	for (let index = 0; index < spikes * 2; index++) {
		const angle = (index / (spikes * 2)) * Math.PI * 2;
		// A fixed pattern of spike lengths (no randomness: the same words letter the same pixels).
		const reach = index % 2 === 0 ? 1 - 0.05 * ((index * 7) % 3) : 0.8;
		const px = cx + (width / 2) * reach * Math.cos(angle);
		const py = cy + (height / 2) * reach * Math.sin(angle);
		if (index === 0) shape.moveTo(px, py);
		else shape.lineTo(px, py);
	}
	shape.closePath();
	return shape;
}

/** A thought cloud: overlapping round bumps along an ellipse inside the body. */
function cloudShape(item: Placed): Path2D {
	const { x, y, width, height } = item.body;
	const cx = x + width / 2;
	const cy = y + height / 2;
	const a = (width / 2) * 0.86;
	const b = (height / 2) * 0.84;
	const bumps = Math.max(8, Math.round((Math.PI * (a + b)) / (item.size * 1.6)));
	const shape = path();
	const radius = Math.min(width, height) * 0.5 - Math.min(a, b);
	for (let index = 0; index < bumps; index++) {
		const angle = (index / bumps) * Math.PI * 2;
		const r = Math.max(item.size * 0.55, radius * (index % 2 === 0 ? 1 : 0.85));
		shape.moveTo(cx + a * Math.cos(angle) + r, cy + b * Math.sin(angle));
		shape.arc(cx + a * Math.cos(angle), cy + b * Math.sin(angle), r, 0, Math.PI * 2);
	}
	shape.moveTo(cx + a, cy);
	shape.ellipse(cx, cy, a, b, 0, 0, Math.PI * 2);
	return shape;
}

/** A curved wedge from inside the body to the tip; `width` is its base as a share of the text size × 2. */
function tail(item: Placed, width: number): Shape[] {
	if (!item.tail) return [];
	const { baseX, baseY, tipX, tipY } = item.tail;
	const cx = item.body.x + item.body.width / 2;
	const cy = item.body.y + item.body.height / 2;
	// The base sits inside the body, across the direction of the tail.
	const dx = tipX - baseX;
	const dy = tipY - baseY;
	const length = Math.hypot(dx, dy) || 1;
	const nx = -dy / length;
	const ny = dx / length;
	const half = Math.min(item.size * 2 * width, item.body.width * 0.14);
	const inX = baseX + (cx - baseX) * 0.25;
	const inY = baseY + (cy - baseY) * 0.25;
	const shape = path();
	shape.moveTo(inX + nx * half, inY + ny * half);
	// A slight curve reads as drawn by hand, not as a triangle.
	shape.quadraticCurveTo(baseX + dx * 0.5 + nx * half * 0.6, baseY + dy * 0.5 + ny * half * 0.6, tipX, tipY);
	shape.quadraticCurveTo(baseX + dx * 0.45 - nx * half * 0.1, baseY + dy * 0.45 - ny * half * 0.1, inX - nx * half, inY - ny * half);
	shape.closePath();
	return [{ path: shape, item, dashed: false }];
}

/** A thought's tail: three bubbles shrinking toward the speaker. */
function bubbles(item: Placed): Shape[] {
	if (!item.tail) return [];
	const { baseX, baseY, tipX, tipY } = item.tail;
	return [0.2, 0.55, 0.9].map((along, index) => {
		const shape = path();
		const r = item.size * (0.42 - index * 0.11);
		const x = baseX + (tipX - baseX) * along;
		const y = baseY + (tipY - baseY) * along;
		shape.moveTo(x + r, y);
		shape.arc(x, y, r, 0, Math.PI * 2);
		return { path: shape, item, dashed: false };
	});
}
