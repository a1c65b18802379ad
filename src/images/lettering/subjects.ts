import type { Sharp } from 'sharp';
import type { Size } from '../engine.ts';
import { imageEngine } from '../engine.ts';

/**
 * Where the picture's subject is, on a coarse grid (64 cells across): how busy each cell is and how
 * likely it is part of a face, plus the faces (or, without one, the main figure) found as blobs.
 *
 * No face detector installs here without a large native runtime and model download, so this is a
 * saliency map computed with sharp from a 64-cell thumbnail: skin tone (YCbCr) that stands apart from
 * the background at the picture's edges marks faces; colour distance from those edges and local contrast
 * mark the rest of a figure. Balloons avoid both, faces first. See docs/decisions/021-lettering.md.
 */
export interface SubjectMap {
	readonly cols: number;
	readonly rows: number;
	readonly cellWidth: number;
	readonly cellHeight: number;
	/** 0..1 per cell, row by row: how much of a subject (figure, detail) the cell holds. */
	readonly busy: Float32Array;
	/** 0..1 per cell: how face-like (skin apart from the background). */
	readonly face: Float32Array;
	/** Summed-area tables of busy and face, (cols + 1) × (rows + 1). */
	readonly busySums: Float64Array;
	readonly faceSums: Float64Array;
	readonly faceTotal: number;
	/** Faces or figures, largest first, in picture pixels. */
	readonly subjects: readonly Subject[];
}

/** A rectangle in picture pixels (the same shape as the layout's Box, declared here to keep imports one way). */
export interface Box {
	readonly x: number;
	readonly y: number;
	readonly width: number;
	readonly height: number;
}

export interface Subject {
	readonly x: number;
	readonly y: number;
	readonly box: Box;
	readonly face: boolean;
}

const COLUMNS = 64;

/** From an encoded picture, or a sharp pipeline already holding its pixels. */
export async function findSubjects(picture: Buffer | Sharp, size: Size): Promise<SubjectMap> {
	const cols = COLUMNS;
	const rows = Math.max(8, Math.round((COLUMNS * size.height) / size.width));
	const pipeline = Buffer.isBuffer(picture) ? (await imageEngine())(picture) : picture;
	const { data } = await pipeline.resize(cols, rows, { fit: 'fill', kernel: 'linear' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
	return mapOf(data, cols, rows, size);
}

/** A picture with nothing in it (for checking words before there is a picture). */
export function blankMap(size: Size): SubjectMap {
	const cols = 8;
	const rows = 8;
	return mapOf(Buffer.alloc(cols * rows * 3), cols, rows, size);
}

function mapOf(rgb: Buffer, cols: number, rows: number, size: Size): SubjectMap {
	const cells = cols * rows;
	const luma = new Float32Array(cells);
	const skin = new Float32Array(cells);
	for (let cell = 0; cell < cells; cell++) {
		const r = rgb[cell * 3] ?? 0;
		const g = rgb[cell * 3 + 1] ?? 0;
		const b = rgb[cell * 3 + 2] ?? 0;
		const y = 0.299 * r + 0.587 * g + 0.114 * b;
		const cb = 128 - 0.1687 * r - 0.3313 * g + 0.5 * b;
		const cr = 128 + 0.5 * r - 0.4187 * g - 0.0813 * b;
		luma[cell] = y;
		// The classic skin cluster in CbCr, softened at its edges; very dark or blown-out cells are not skin.
		const inCb = soft(cb, 77, 127, 6);
		const inCr = soft(cr, 133, 173, 6);
		skin[cell] = y > 50 && y < 250 ? inCb * inCr : 0;
	}
	// The background: the colours along the left, right and top edges. A cell far from the colours at
	// the ends of its own row and the top of its column stands out from it.
	const distance = (a: number, b: number) =>
		Math.hypot((rgb[a * 3] ?? 0) - (rgb[b * 3] ?? 0), (rgb[a * 3 + 1] ?? 0) - (rgb[b * 3 + 1] ?? 0), (rgb[a * 3 + 2] ?? 0) - (rgb[b * 3 + 2] ?? 0));
	const apart = new Float32Array(cells);
	for (let row = 0; row < rows; row++) {
		for (let col = 0; col < cols; col++) {
			const cell = row * cols + col;
			const near = Math.min(distance(cell, row * cols), distance(cell, row * cols + cols - 1), distance(cell, col));
			apart[cell] = Math.min(1, Math.max(0, (near - 25) / 90));
		}
	}
	const edge = new Float32Array(cells);
	for (let row = 1; row < rows - 1; row++) {
		for (let col = 1; col < cols - 1; col++) {
			const at = (dr: number, dc: number) => luma[(row + dr) * cols + col + dc] ?? 0;
			const gx = at(-1, 1) + 2 * at(0, 1) + at(1, 1) - at(-1, -1) - 2 * at(0, -1) - at(1, -1);
			const gy = at(1, -1) + 2 * at(1, 0) + at(1, 1) - at(-1, -1) - 2 * at(-1, 0) - at(-1, 1);
			edge[row * cols + col] = Math.min(1, Math.hypot(gx, gy) / 240);
		}
	}
	const face = new Float32Array(cells);
	const rawBusy = new Float32Array(cells);
	for (let cell = 0; cell < cells; cell++) {
		face[cell] = (skin[cell] ?? 0) * Math.min(1, (apart[cell] ?? 0) * 2.5);
		rawBusy[cell] = Math.max(face[cell] ?? 0, 0.8 * (apart[cell] ?? 0), 0.6 * (edge[cell] ?? 0));
	}
	// A face cell's neighbours count as face too: the map is coarse and a face's rim must stay clear.
	const grownFace = spread(face, cols, rows);
	const busy = spread(rawBusy, cols, rows);
	const cellWidth = size.width / cols;
	const cellHeight = size.height / rows;
	const subjects = blobs(grownFace, cols, rows, 0.45, 4, true)
		.concat(blobs(busy, cols, rows, 0.55, Math.round(cells * 0.02), false))
		.map((blob) => toSubject(blob, cellWidth, cellHeight));
	// Figures only when there is no face: a face says where the speaker is better than a shirt does.
	// Small skin-toned blobs beside a real face are hands, necks or mixed edge colours, not speakers.
	const largest = subjects.find((subject) => subject.face);
	const faces = subjects.filter((subject) => subject.face && largest && subject.box.width * subject.box.height >= 0.3 * largest.box.width * largest.box.height);
	return {
		cols,
		rows,
		cellWidth,
		cellHeight,
		busy,
		face: grownFace,
		busySums: sums(busy, cols, rows),
		faceSums: sums(grownFace, cols, rows),
		faceTotal: grownFace.reduce((sum, value) => sum + value, 0),
		subjects: faces.length > 0 ? faces.slice(0, 4) : subjects.slice(0, 2),
	};
}

function soft(value: number, low: number, high: number, fade: number): number {
	if (value < low) return Math.max(0, 1 - (low - value) / fade);
	if (value > high) return Math.max(0, 1 - (value - high) / fade);
	return 1;
}

/** Each cell takes the largest of itself and 0.8 × its 8 neighbours. */
function spread(values: Float32Array, cols: number, rows: number): Float32Array {
	const out = new Float32Array(values.length);
	for (let row = 0; row < rows; row++) {
		for (let col = 0; col < cols; col++) {
			let best = values[row * cols + col] ?? 0;
			for (let dr = -1; dr <= 1; dr++) {
				for (let dc = -1; dc <= 1; dc++) {
					const r = row + dr;
					const c = col + dc;
					if (r < 0 || c < 0 || r >= rows || c >= cols) continue;
					best = Math.max(best, 0.8 * (values[r * cols + c] ?? 0));
				}
			}
			out[row * cols + col] = best;
		}
	}
	return out;
}

function sums(values: Float32Array, cols: number, rows: number): Float64Array {
	const table = new Float64Array((cols + 1) * (rows + 1));
	for (let row = 0; row < rows; row++) {
		let line = 0;
		for (let col = 0; col < cols; col++) {
			line += values[row * cols + col] ?? 0;
			table[(row + 1) * (cols + 1) + col + 1] = (table[row * (cols + 1) + col + 1] ?? 0) + line;
		}
	}
	return table;
}

interface Blob {
	readonly cells: number;
	readonly minCol: number;
	readonly maxCol: number;
	readonly minRow: number;
	readonly maxRow: number;
	readonly sumCol: number;
	readonly sumRow: number;
	readonly face: boolean;
}

/** 4-connected groups of cells at or above `threshold`, at least `least` cells, largest first. */
function blobs(values: Float32Array, cols: number, rows: number, threshold: number, least: number, face: boolean): Blob[] {
	const seen = new Uint8Array(values.length);
	const found: Blob[] = [];
	for (let start = 0; start < values.length; start++) {
		if (seen[start] || (values[start] ?? 0) < threshold) continue;
		const stack = [start];
		seen[start] = 1;
		let cells = 0;
		let minCol = cols;
		let maxCol = 0;
		let minRow = rows;
		let maxRow = 0;
		let sumCol = 0;
		let sumRow = 0;
		while (stack.length > 0) {
			const cell = stack.pop() ?? 0;
			const row = Math.floor(cell / cols);
			const col = cell % cols;
			cells++;
			sumCol += col;
			sumRow += row;
			minCol = Math.min(minCol, col);
			maxCol = Math.max(maxCol, col);
			minRow = Math.min(minRow, row);
			maxRow = Math.max(maxRow, row);
			for (const next of [col > 0 ? cell - 1 : -1, col < cols - 1 ? cell + 1 : -1, cell - cols, cell + cols]) {
				if (next < 0 || next >= values.length || seen[next] || (values[next] ?? 0) < threshold) continue;
				seen[next] = 1;
				stack.push(next);
			}
		}
		if (cells >= least) found.push({ cells, minCol, maxCol, minRow, maxRow, sumCol, sumRow, face });
	}
	return found.sort((a, b) => b.cells - a.cells);
}

function toSubject(blob: Blob, cellWidth: number, cellHeight: number): Subject {
	const box = {
		x: blob.minCol * cellWidth,
		y: blob.minRow * cellHeight,
		width: (blob.maxCol - blob.minCol + 1) * cellWidth,
		height: (blob.maxRow - blob.minRow + 1) * cellHeight,
	};
	// A figure without a face: aim at the upper part, where a head would be.
	const y = blob.face ? (blob.sumRow / blob.cells + 0.5) * cellHeight : box.y + box.height * 0.2;
	return { x: (blob.sumCol / blob.cells + 0.5) * cellWidth, y, box, face: blob.face };
}

/** How much of the subject a box would hide: its mean busyness (0..1) and its share of all face cells. */
export function coverOf(map: SubjectMap, box: Box): { busy: number; face: number } {
	const c0 = clamp(Math.floor(box.x / map.cellWidth), 0, map.cols);
	const c1 = clamp(Math.ceil((box.x + box.width) / map.cellWidth), 0, map.cols);
	const r0 = clamp(Math.floor(box.y / map.cellHeight), 0, map.rows);
	const r1 = clamp(Math.ceil((box.y + box.height) / map.cellHeight), 0, map.rows);
	const area = Math.max(1, (c1 - c0) * (r1 - r0));
	const sum = (table: Float64Array) => {
		const w = map.cols + 1;
		return (table[r1 * w + c1] ?? 0) - (table[r0 * w + c1] ?? 0) - (table[r1 * w + c0] ?? 0) + (table[r0 * w + c0] ?? 0);
	};
	return { busy: sum(map.busySums) / area, face: map.faceTotal > 0 ? sum(map.faceSums) / map.faceTotal : 0 };
}

/** The face likelihood under one picture point. */
export function faceAt(map: SubjectMap, x: number, y: number): number {
	const col = clamp(Math.floor(x / map.cellWidth), 0, map.cols - 1);
	const row = clamp(Math.floor(y / map.cellHeight), 0, map.rows - 1);
	return map.face[row * map.cols + col] ?? 0;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
