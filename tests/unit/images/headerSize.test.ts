import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { headerSize } from '../../../src/images/headerSize.ts';

/** Pictures as sharp encodes them, and the size sharp reads back: the header reader must agree. */
async function encoded(width: number, height: number, channels: 3 | 4, format: 'png' | 'jpeg' | 'webp' | 'gif', options: object = {}): Promise<Buffer> {
	const base = sharp({ create: { width, height, channels, background: channels === 4 ? '#3366aa80' : '#3366aa' } });
	return base.toFormat(format, options).toBuffer();
}

describe('headerSize', () => {
	const cases = [
		['png', 3, {}],
		['png', 4, {}],
		['jpeg', 3, {}],
		['jpeg', 3, { progressive: true }],
		['webp', 3, {}],
		['webp', 3, { lossless: true }],
		['webp', 4, {}],
		['gif', 3, {}],
	] as const;
	for (const [format, channels, options] of cases)
		it(`reads ${format} (${channels} channels ${JSON.stringify(options)}) as sharp does`, async () => {
			for (const [width, height] of [
				[832, 1216],
				[1, 1],
				[4001, 17],
			] as const) {
				const bytes = await encoded(width, height, channels, format, options);
				const meta = await sharp(bytes).metadata();
				expect(headerSize(bytes)).toEqual({ width: meta.width, height: meta.height });
				expect(meta).toMatchObject({ width, height });
			}
		});

	it('reads a JPEG whose frame header comes after EXIF and other segments', async () => {
		const bytes = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#fff' } })
			.withMetadata({ exif: { IFD0: { Copyright: 'x'.repeat(2000) } } })
			.jpeg()
			.toBuffer();
		expect(headerSize(bytes)).toEqual({ width: 300, height: 200 });
	});

	it('gives up on what it cannot read, for the engine to try', () => {
		expect(headerSize(Buffer.alloc(0))).toBeUndefined();
		expect(headerSize(Buffer.from('not a picture at all, just some words'))).toBeUndefined();
		// A PNG signature cut before its IHDR, a JPEG whose segments run into the scan without a frame header.
		expect(headerSize(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toBeUndefined();
		expect(headerSize(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x08, 0, 0, 0, 0, 0, 0]))).toBeUndefined();
		expect(headerSize(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x40]))).toBeUndefined();
	});
});
