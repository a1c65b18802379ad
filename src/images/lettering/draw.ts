import type { Canvas, Path2D, SKRSContext2D } from '@napi-rs/canvas';
import { canvasModule } from '../native.ts';
import type { Size } from '../engine.ts';
import { font } from '../fonts.ts';
import { type Placed, strokeWidth } from './layout.ts';

const INK = '#111111';
const PAPER = '#ffffff';
const CAPTION_PAPER = '#fff4c8';

/** Draws the placed elements on a transparent layer the picture's size. */
export function drawLettering(picture: Size, placed: readonly Placed[]): Canvas {
	const canvas = canvasModule().createCanvas(picture.width, picture.height);
	const ctx = canvas.getContext('2d');
	ctx.lineJoin = 'round';
	for (const item of placed) {
		const body = item.kind === 'caption' ? captionShape(item) : item.kind === 'shout' ? spikyShape(item) : roundShape(item);
		const shapes = item.kind === 'caption' ? [body] : [body, tailShape(item, item.kind === 'shout' ? 0.3 : 0.5)];
		// Strokes first at double width, then fills: the fills cover the inner half of the strokes, so a
		// tail merges with its balloon without a seam.
		ctx.lineWidth = strokeWidth(item.size) * 2;
		ctx.strokeStyle = INK;
		for (const shape of shapes) ctx.stroke(shape);
		ctx.fillStyle = item.kind === 'caption' ? CAPTION_PAPER : PAPER;
		for (const shape of shapes) ctx.fill(shape);
		drawText(ctx, item);
	}
	return canvas;
}

function drawText(ctx: SKRSContext2D, item: Placed): void {
	ctx.font = font(item.role, item.size);
	ctx.fillStyle = INK;
	ctx.textBaseline = 'middle';
	ctx.textAlign = item.kind === 'caption' ? 'left' : 'center';
	const x = item.kind === 'caption' ? item.text.x : item.text.x + item.text.width / 2;
	item.lines.forEach((line, index) => {
		ctx.fillText(line, x, item.text.y + (index + 0.5) * item.lineHeight);
	});
}

function captionShape(item: Placed): Path2D {
	const path = new (canvasModule().Path2D)();
	path.rect(item.body.x, item.body.y, item.body.width, item.body.height);
	return path;
}

function roundShape(item: Placed): Path2D {
	const { x, y, width, height } = item.body;
	const path = new (canvasModule().Path2D)();
	path.roundRect(x, y, width, height, Math.min(height / 2, width / 2, item.size * 1.6));
	return path;
}

/** A burst: points alternating between two superellipses inscribed in the body, so the text block stays inside. */
function spikyShape(item: Placed): Path2D {
	const { x, y, width, height } = item.body;
	const cx = x + width / 2;
	const cy = y + height / 2;
	const depth = item.size * 0.45;
	const spikes = Math.max(12, Math.round((2 * (width + height)) / (item.size * 1.5)));
	const path = new (canvasModule().Path2D)();
	for (let index = 0; index < spikes * 2; index++) {
		const angle = (index / (spikes * 2)) * Math.PI * 2;
		const out = index % 2 === 0 ? 0 : depth;
		const [px, py] = superellipse(angle, width / 2 - out, height / 2 - out);
		if (index === 0) path.moveTo(cx + px, cy + py);
		else path.lineTo(cx + px, cy + py);
	}
	path.closePath();
	return path;
}

function superellipse(angle: number, a: number, b: number): [number, number] {
	const exponent = 2 / 6;
	const cos = Math.cos(angle);
	const sin = Math.sin(angle);
	return [a * Math.sign(cos) * Math.abs(cos) ** exponent, b * Math.sign(sin) * Math.abs(sin) ** exponent];
}

/** A wedge from inside the body down to the tip; its base starts `rise` (a share of the height) inside the body. */
function tailShape(item: Placed, rise: number): Path2D {
	const path = new (canvasModule().Path2D)();
	if (!item.tail) return path;
	const { x, width, y, height } = item.body;
	const base = Math.min(width * 0.22, item.size * 1.4);
	const anchor = item.tail.side === 'left' ? x + width * 0.3 : x + width * 0.7;
	const bottom = y + height * (1 - rise);
	path.moveTo(anchor - base / 2, bottom);
	path.lineTo(item.tail.tipX, item.tail.tipY);
	path.lineTo(anchor + base / 2, bottom);
	path.closePath();
	return path;
}
