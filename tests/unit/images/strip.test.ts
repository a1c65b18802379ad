import sharp from 'sharp';
import { expect, test } from 'vitest';
import { encode } from '../../../src/images/assembly/encode.ts';
import { collect, type PanelSource } from '../../../src/images/assembly/sources.ts';
import { planPages } from '../../../src/images/assembly/pageLayout.ts';
import { renderPages } from '../../../src/images/assembly/pages.ts';
import { cutRows, planStrip, renderStrip, STRIP } from '../../../src/images/assembly/strip.ts';
import { gradient, noise, rgb, solid } from './pictures.ts';

// Smooth pictures: the layout does not depend on what is drawn, and slices of them stay lossless, so this test
// spends no time in the 256-colour reduction (the test of that reduction checks its gutters itself).
async function panels(): Promise<PanelSource[]> {
	const big = await gradient(832, 1216);
	const small = await gradient(512, 768);
	// Taller than a slice: the one panel a cut may go through.
	const tall = await gradient(400, 1600);
	// Bytes in hand, loaders (as the picture store gives them), with and without a known size.
	return [
		{ image: big },
		{ image: async () => small },
		{ image: tall },
		{ image: big, width: 832, height: 1216 },
		{ image: async () => small, width: 512, height: 768 },
	];
}

test('a strip is 800 px wide, in slices at most 1280 px tall, cut in gutters except through a panel taller than a slice', async () => {
	const sources = await panels();
	const plan = await planStrip(sources, STRIP.width);
	const slices = await collect(renderStrip(sources, { title: 'Night Shift', format: 'png' }));
	expect(slices.length).toBe(plan.cuts.length);
	expect(slices.map((slice) => slice.name)).toEqual(slices.map((_, index) => `night-shift-strip-${String(index + 1).padStart(2, '0')}.png`));
	expect(slices.reduce((sum, slice) => sum + slice.height, 0)).toBe(plan.height);
	for (const slice of slices) {
		const meta = await sharp(slice.data).metadata();
		expect([meta.format, meta.width, meta.height]).toEqual(['png', 800, slice.height]);
		expect(slice.height).toBeLessThanOrEqual(1280);
	}
	let start = 0;
	for (const [index, cut] of plan.cuts.slice(0, -1).entries()) {
		const through = plan.placements.find((placement) => cut > placement.top && cut < placement.top + placement.height);
		if (through) {
			// Only a panel that cannot fit in one slice is cut.
			expect(through.height + STRIP.gutter).toBeGreaterThan(STRIP.maxSliceHeight);
		} else {
			expect(plan.gutters.some(([from, to]) => cut >= from && cut <= to)).toBe(true);
			const above = await rgb((slices[index] as { data: Buffer }).data);
			const below = await rgb((slices[index + 1] as { data: Buffer }).data);
			const lastRow = above.data.subarray((above.height - 1) * 800 * 3, above.height * 800 * 3);
			const firstRow = below.data.subarray(0, 800 * 3);
			expect(lastRow.every((value) => value === 255)).toBe(true);
			expect(firstRow.every((value) => value === 255)).toBe(true);
		}
		expect(cut - start).toBeLessThanOrEqual(1280);
		start = cut;
	}
	expect(plan.cuts.some((cut) => plan.placements.some((placement) => cut > placement.top && cut < placement.top + placement.height))).toBe(true);
});

test('the title is lettered on top of the first slice', async () => {
	// A light panel, so that the dark pixels counted are the title's.
	const [first] = await collect(renderStrip([{ image: await gradient(832, 1216) }], { title: 'Night Shift', format: 'png' }));
	const { data } = await rgb((first as { data: Buffer }).data);
	const title = data.subarray(0, STRIP.titleHeight * 800 * 3);
	const dark = title.filter((value) => value < 80).length;
	expect(dark).toBeGreaterThan(2000);
});

test('JPEG and WebP slices are under 2 MB and decode at their stated size', async () => {
	const sources = [{ image: await noise(832, 1216) }, { image: await noise(832, 1216, 150) }];
	for (const format of ['jpeg', 'webp'] as const) {
		for await (const slice of renderStrip(sources, { title: 'Formats', format })) {
			expect(slice.data.length).toBeLessThan(2 * 1024 * 1024);
			const meta = await sharp(slice.data).metadata();
			expect([meta.format, meta.width, meta.height]).toEqual([format, slice.width, slice.height]);
			expect(slice.mime).toBe(`image/${format}`);
		}
	}
});

test('PNG slices over 2 MB are reduced to 256 colours (still PNG, at their size); smaller ones stay lossless', async () => {
	const sources = [{ image: await noise(832, 1216) }, { image: await noise(832, 1216, 150) }];
	const slices = await collect(renderStrip(sources, { title: 'Noise', format: 'png' }));
	for (const slice of slices) {
		expect(slice.data.length).toBeLessThanOrEqual(STRIP.maxSliceBytes);
		const meta = await sharp(slice.data).metadata();
		expect([meta.format, meta.width, meta.height]).toEqual(['png', slice.width, slice.height]);
		expect(meta.isPalette).toBe(true);
	}
	expect(slices.length).toBeGreaterThan(1);
	// The reduction keeps the gutters a cut goes through pure white.
	const plan = await planStrip(sources, STRIP.width);
	for (const [index, cut] of plan.cuts.slice(0, -1).entries()) {
		if (!plan.gutters.some(([from, to]) => cut >= from && cut <= to)) continue;
		const above = await rgb((slices[index] as { data: Buffer }).data);
		const below = await rgb((slices[index + 1] as { data: Buffer }).data);
		expect(above.data.subarray((above.height - 1) * 800 * 3).every((value) => value === 255)).toBe(true);
		expect(below.data.subarray(0, 800 * 3).every((value) => value === 255)).toBe(true);
	}
	// The same noise kept lossless is over the limit: the reduction is what brought it under.
	const picture = await noise(800, 1280);
	expect((await sharp(picture).png({ compressionLevel: 6 }).toBuffer()).length).toBeGreaterThan(STRIP.maxSliceBytes);
	const reduced = await encode(() => sharp(picture), 'png', STRIP.maxSliceBytes);
	expect(reduced.length).toBeLessThanOrEqual(STRIP.maxSliceBytes);
	expect((await sharp(reduced).metadata()).isPalette).toBe(true);
	const small = await solid(800, 1280);
	const kept = await encode(() => sharp(small), 'png', STRIP.maxSliceBytes);
	expect((await rgb(kept)).data.equals((await rgb(small)).data)).toBe(true);
});

test('a lossy slice over the size limit is encoded again at lower quality until it fits', async () => {
	const picture = await noise(800, 1280);
	const first = await encode(() => sharp(picture), 'jpeg');
	const fitted = await encode(() => sharp(picture), 'jpeg', first.length * 0.7);
	expect(fitted.length).toBeLessThanOrEqual(first.length * 0.7);
});

test('cuts take the lowest gutter that keeps a slice within the limit', () => {
	expect(cutRows(1000, [[500, 520]], 1280)).toEqual([1000]);
	expect(
		cutRows(
			2000,
			[
				[500, 520],
				[1100, 1120],
				[1500, 1520],
			],
			1280,
		),
	).toEqual([1110, 2000]);
	expect(cutRows(3000, [[2900, 2920]], 1280)).toEqual([1280, 2560, 3000]);
});

test('each panel in a strip and on a page has a thin dark keyline around it', async () => {
	const light = await sharp({ create: { width: 832, height: 1216, channels: 3, background: { r: 200, g: 220, b: 240 } } })
		.png()
		.toBuffer();
	const [slice] = await collect(renderStrip([{ image: light }], { title: 'K', format: 'png' }));
	if (!slice) throw new Error('a slice expected');
	const { data, width } = await rgb(slice.data);
	const plan = await planStrip([{ image: light }], STRIP.width);
	const top = plan.placements[0]?.top ?? 0;
	const at = (x: number, y: number) => data[(y * width + x) * 3] ?? 0;
	const middle = top + 300;
	expect(at(STRIP.gutter, middle)).toBeLessThan(40);
	expect(at(width - STRIP.gutter - 1, middle)).toBeLessThan(40);
	expect(at(STRIP.gutter + 100, top)).toBeLessThan(40);
	expect(at(STRIP.gutter + STRIP.keyline + 2, middle)).toBe(200);
	expect(at(STRIP.gutter - 2, middle)).toBe(255);

	const [page] = await collect(renderPages([{ image: light }], { title: 'K', format: 'png' }));
	const box = planPages([{ width: 832, height: 1216 }])[0]?.boxes[0];
	if (!page || !box) throw new Error('a page expected');
	const pixels = await rgb(page.data);
	const onPage = (x: number, y: number) => pixels.data[(y * pixels.width + x) * 3] ?? 0;
	expect(onPage(box.x, box.y + 300)).toBeLessThan(40);
	expect(onPage(box.x + 200, box.y + box.height - 1)).toBeLessThan(40);
	expect(onPage(box.x + 10, box.y + 300)).toBe(200);
});
