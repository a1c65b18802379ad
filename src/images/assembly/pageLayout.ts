import type { Size } from '../engine.ts';
import type { Box } from '../lettering/layout.ts';

export const PAGE = {
	width: 1600,
	height: 2400,
	margin: 64,
	gutter: 40,
	/** Room at the bottom for the page number. */
	footer: 96,
	/** Room at the top of the first page for the title. */
	header: 150,
	maxPanels: 4,
	/** A page takes as many panels as it can while they still cover this share of its content area. */
	minCoverage: 0.6,
} as const;

/** Rows of how many panels each: the arrangements a page of 1 to 4 panels may take. */
const TEMPLATES: Readonly<Record<number, readonly (readonly number[])[]>> = {
	1: [[1]],
	2: [[2], [1, 1]],
	3: [[1, 2], [2, 1], [1, 1, 1], [3]],
	4: [
		[2, 2],
		[1, 1, 2],
		[2, 1, 1],
		[1, 2, 1],
		[1, 1, 1, 1],
	],
};

export interface PagePlan {
	/** Indexes into the panels, in reading order. */
	readonly panels: readonly number[];
	/** Where each panel's picture goes, fitted inside its cell (never cropped). */
	readonly boxes: readonly Box[];
}

export interface PlanOptions {
	/**
	 * Right to left (manga): each row reads from its right edge, so the panels of a row are placed from
	 * right to left (the page mirrored; the pictures themselves are not flipped).
	 */
	readonly rtl?: boolean;
}

/**
 * Splits the panels into pages of 1 to 4 in order: each page takes the most panels whose best
 * arrangement still covers `minCoverage` of the page (portrait panels end up two a row, landscape
 * ones stacked), else the arrangement that covers most.
 */
export function planPages(sizes: readonly Size[], options: PlanOptions = {}): PagePlan[] {
	const pages: PagePlan[] = [];
	let next = 0;
	while (next < sizes.length) {
		const area = contentArea(pages.length === 0);
		let best: { boxes: Box[]; coverage: number } | undefined;
		for (let count = Math.min(PAGE.maxPanels, sizes.length - next); count >= 1; count--) {
			const group = sizes.slice(next, next + count);
			const options = (TEMPLATES[count] ?? []).map((rows) => arrange(group, rows, area));
			const top = options.reduce((a, b) => (b.coverage > a.coverage ? b : a));
			if (top.coverage >= PAGE.minCoverage) {
				best = top;
				break;
			}
			if (!best || top.coverage > best.coverage) best = top;
		}
		if (!best) break;
		const boxes = options.rtl ? best.boxes.map((box) => mirrored(box, area)) : best.boxes;
		pages.push({ panels: best.boxes.map((_, index) => next + index), boxes });
		next += best.boxes.length;
	}
	return pages;
}

/** A box placed as far from the area's right edge as it was from its left. */
function mirrored(box: Box, area: Box): Box {
	return { ...box, x: area.x + area.width - (box.x - area.x) - box.width };
}

export function contentArea(first: boolean): Box {
	const top = PAGE.margin + (first ? PAGE.header : 0);
	return { x: PAGE.margin, y: top, width: PAGE.width - 2 * PAGE.margin, height: PAGE.height - PAGE.footer - top };
}

/**
 * Rows as a justified gallery: each row as tall as its panels' aspect ratios allow at the full width,
 * then every row shrunk by the same factor when they are too tall together; rows and panels centred.
 */
function arrange(group: readonly Size[], rows: readonly number[], area: Box): { boxes: Box[]; coverage: number } {
	const split: Size[][] = [];
	let index = 0;
	for (const count of rows) {
		split.push(group.slice(index, index + count));
		index += count;
	}
	const natural = split.map((row) => (area.width - (row.length - 1) * PAGE.gutter) / row.reduce((sum, size) => sum + size.width / size.height, 0));
	const room = area.height - (rows.length - 1) * PAGE.gutter;
	const scale = Math.min(1, room / natural.reduce((sum, height) => sum + height, 0));
	const heights = natural.map((height) => Math.floor(height * scale));
	let y = area.y + Math.round((room - heights.reduce((sum, height) => sum + height, 0)) / 2);
	const boxes: Box[] = [];
	let used = 0;
	split.forEach((row, rowIndex) => {
		const height = heights[rowIndex] ?? 0;
		const widths = row.map((size) => Math.floor((height * size.width) / size.height));
		let x = area.x + Math.round((area.width - widths.reduce((sum, width) => sum + width, 0) - (row.length - 1) * PAGE.gutter) / 2);
		for (const width of widths) {
			boxes.push({ x, y, width, height });
			used += width * height;
			x += width + PAGE.gutter;
		}
		y += height + PAGE.gutter;
	});
	return { boxes, coverage: used / (area.width * area.height) };
}
