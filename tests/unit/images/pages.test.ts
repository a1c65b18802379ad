import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { expect, test } from 'vitest';
import { toCbz } from '../../../src/images/assembly/cbz.ts';
import { contactSheet } from '../../../src/images/assembly/contactSheet.ts';
import { contentArea, PAGE, planPages } from '../../../src/images/assembly/pageLayout.ts';
import { renderPages } from '../../../src/images/assembly/pages.ts';
import { toPdf } from '../../../src/images/assembly/pdf.ts';
import { collect } from '../../../src/images/assembly/sources.ts';
import { noise, readZip, rgb } from './pictures.ts';

const portrait = { width: 832, height: 1216 };
const landscape = { width: 1216, height: 832 };

test('portrait panels go four to a page, two a row; landscape ones stack; every panel keeps its aspect ratio inside the page', () => {
	const sizes = [portrait, portrait, portrait, portrait, landscape, landscape, landscape, { width: 1024, height: 1024 }];
	const pages = planPages(sizes);
	expect(pages.map((page) => page.panels)).toEqual([
		[0, 1, 2, 3],
		[4, 5, 6, 7],
	]);
	const [first, second] = pages;
	expect(new Set(first?.boxes.map((box) => box.y)).size).toBe(2);
	// Landscape panels one a row, the square one beside the last of them.
	expect(second?.boxes.map((box) => box.y)).toEqual([second?.boxes[0]?.y, second?.boxes[1]?.y, second?.boxes[2]?.y, second?.boxes[2]?.y]);
	expect(new Set(second?.boxes.map((box) => box.y)).size).toBe(3);
	pages.forEach((page, pageIndex) => {
		const area = contentArea(pageIndex === 0);
		page.boxes.forEach((box, slot) => {
			const size = sizes[page.panels[slot] ?? -1];
			if (!size) throw new Error('missing size');
			expect(Math.abs(box.width / box.height - size.width / size.height)).toBeLessThan(0.01);
			expect(box.x).toBeGreaterThanOrEqual(area.x);
			expect(box.y).toBeGreaterThanOrEqual(area.y);
			expect(box.x + box.width).toBeLessThanOrEqual(area.x + area.width);
			expect(box.y + box.height).toBeLessThanOrEqual(area.y + area.height);
		});
	});
});

async function sixPanels() {
	const picture = await noise(832, 1216);
	const wide = await noise(1216, 832, 150);
	return [picture, picture, picture, picture, wide, wide].map((image) => ({ image: async () => image }));
}

test('pages are 1600 x 2400, numbered at the bottom, and become a PDF of 480 x 720 pt pages and a CBZ with ComicInfo.xml', async () => {
	const pages = await collect(renderPages(await sixPanels(), { title: 'Night & Shift', format: 'jpeg' }));
	expect(pages.map((page) => page.name)).toEqual(['night-shift-page-001.jpg', 'night-shift-page-002.jpg']);
	for (const page of pages) {
		const meta = await sharp(page.data).metadata();
		expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', PAGE.width, PAGE.height]);
		// The page number: dark pixels in the middle of the footer, none at its sides.
		const { data } = await rgb(page.data);
		const footerRow = (x: number, y: number) => data[(y * PAGE.width + x) * 3] ?? 255;
		let dark = 0;
		let darkAtSides = 0;
		for (let y = PAGE.height - PAGE.footer; y < PAGE.height; y++) {
			for (let x = 0; x < PAGE.width; x++) {
				if (footerRow(x, y) >= 128) continue;
				if (Math.abs(x - PAGE.width / 2) < 60) dark++;
				else darkAtSides++;
			}
		}
		expect(dark).toBeGreaterThan(100);
		expect(darkAtSides).toBe(0);
	}

	const pdf = await PDFDocument.load(await toPdf(pages, { title: 'Night & Shift' }));
	expect(pdf.getPageCount()).toBe(2);
	for (const page of pdf.getPages()) expect(page.getSize()).toEqual({ width: 480, height: 720 });
	expect(pdf.getTitle()).toBe('Night & Shift');

	const cbz = await toCbz(pages, { title: 'Night & Shift', writer: 'Mia <mia>', pageCount: 2, date: new Date('2026-03-04T00:00:00Z') });
	if (!cbz) throw new Error('a buffer was expected');
	const entries = readZip(cbz);
	expect(entries.map((entry) => [entry.name, entry.method])).toEqual([
		['page-001.jpg', 0],
		['page-002.jpg', 0],
		['ComicInfo.xml', 0],
	]);
	expect(entries[0]?.data.equals(pages[0]?.data ?? Buffer.alloc(0))).toBe(true);
	const xml = entries[2]?.data.toString('utf8') ?? '';
	const order = ['<Title>', '<Series>', '<Year>', '<Month>', '<Day>', '<Writer>', '<PageCount>', '<Manga>', '<Pages>'].map((tag) => xml.indexOf(tag));
	expect(order.every((at) => at > 0)).toBe(true);
	expect(order).toEqual([...order].sort((a, b) => a - b));
	expect(xml).toContain('<Title>Night &amp; Shift</Title>');
	expect(xml).toContain('<Writer>Mia &lt;mia&gt;</Writer>');
	expect(xml).toContain('<PageCount>2</PageCount>');
	expect(xml).toContain('<Year>2026</Year>');
	expect(xml).toMatch(/<Page Image="0" Type="FrontCover" ImageSize="\d+" ImageWidth="1600" ImageHeight="2400"\/>/);
	expect(xml).toMatch(/<Page Image="1" Type="Story" /);
});

test('a CBZ streams into a file', async () => {
	const folder = await mkdtemp(join(tmpdir(), 'cbz-'));
	try {
		const pages = await collect(renderPages(await sixPanels(), { title: 'Stream', format: 'jpeg' }));
		const path = join(folder, 'stream.cbz');
		expect(await toCbz(pages, { title: 'Stream', writer: 'Rex' }, createWriteStream(path))).toBeUndefined();
		expect(readZip(await readFile(path)).map((entry) => entry.name)).toEqual(['page-001.jpg', 'page-002.jpg', 'ComicInfo.xml']);
	} finally {
		await rm(folder, { recursive: true, force: true });
	}
});

test('PNG pages are turned into JPEG for the PDF', async () => {
	const [page] = await collect(renderPages([{ image: await noise(512, 768) }], { title: 'Png', format: 'png' }));
	if (!page) throw new Error('one page expected');
	const pdf = await PDFDocument.load(await toPdf([page]));
	expect(pdf.getPageCount()).toBe(1);
});

test('a contact sheet shows every panel as a numbered thumbnail in one image', async () => {
	const picture = await noise(832, 1216);
	const sheet = await contactSheet(Array.from({ length: 6 }, (_, index) => ({ number: index + 1, image: picture })));
	const meta = await sharp(sheet.data).metadata();
	expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', sheet.width, sheet.height]);
	// Four columns, two rows.
	expect(sheet.width).toBe(16 + 4 * (240 + 16));
	expect(sheet.height).toBe(16 + 2 * (320 + 16));
	// The number badge on the first thumbnail: near-black with white digits, a quarter of the cell wide.
	const { data, width } = await rgb(sheet.data);
	const thumbLeft = 16 + Math.round((240 - Math.floor(832 * (320 / 1216))) / 2);
	const at = (x: number, y: number) => data[(y * width + x) * 3] ?? 0;
	expect(at(thumbLeft + 6 + 8, 16 + 6 + 8)).toBeLessThan(60);
	expect(64 / 240).toBeGreaterThanOrEqual(0.15);

	// Past twenty panels: the newest twenty, four columns, under a line that says so.
	const many = await contactSheet(Array.from({ length: 27 }, (_, index) => ({ number: index + 1, image: picture })));
	expect(many.width).toBe(16 + 4 * (240 + 16));
	expect(many.height).toBe(16 + 44 + 16 + 5 * (320 + 16));
});

test('right to left, each row is placed from the right: the page mirrored, the same panels on the same pages, sizes kept', () => {
	const sizes = [portrait, portrait, portrait, portrait, landscape, landscape, landscape, { width: 1024, height: 1024 }];
	const ltr = planPages(sizes);
	const rtl = planPages(sizes, { rtl: true });
	expect(rtl.map((page) => page.panels)).toEqual(ltr.map((page) => page.panels));
	const [first] = rtl;
	const [a, b] = first?.boxes ?? [];
	// Panel 1 sits right of panel 2 in the first row.
	expect(a?.y).toBe(b?.y);
	expect(a?.x ?? 0).toBeGreaterThan(b?.x ?? 0);
	for (const [pageIndex, page] of rtl.entries()) {
		const area = contentArea(pageIndex === 0);
		for (const [slot, box] of page.boxes.entries()) {
			const mirror = ltr[pageIndex]?.boxes[slot];
			expect({ ...box, x: 0 }).toEqual({ ...mirror, x: 0 });
			expect(box.x - area.x).toBe(area.x + area.width - ((mirror?.x ?? 0) + (mirror?.width ?? 0)));
		}
	}
});
