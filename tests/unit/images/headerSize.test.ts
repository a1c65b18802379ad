// A picture's size read from its header (src/images/engine.ts) must be what sharp reads, for every format
// the orchestrator sends; anything else is left to sharp.
import sharp from 'sharp';
import { expect, test } from 'vitest';
import { headerSize, sizeOf } from '../../../src/images/engine.ts';

const SIZES = [
	{ width: 1, height: 1 },
	{ width: 832, height: 1216 },
	{ width: 1217, height: 833 },
	{ width: 2048, height: 77 },
];

async function encodings(width: number, height: number): Promise<Record<string, Buffer>> {
	const picture = () => sharp({ create: { width, height, channels: 4, background: { r: 200, g: 80, b: 40, alpha: 0.5 } } });
	return {
		png: await picture().png().toBuffer(),
		jpeg: await picture().jpeg().toBuffer(),
		progressiveJpeg: await picture().jpeg({ progressive: true }).toBuffer(),
		jpegWithExif: await picture().jpeg().withMetadata({ orientation: 6 }).toBuffer(),
		webpLossy: await picture().flatten().webp().toBuffer(),
		webpLossyAlpha: await picture().webp().toBuffer(),
		webpLossless: await picture().webp({ lossless: true }).toBuffer(),
	};
}

test('PNG, JPEG (baseline, progressive, with EXIF) and WebP (lossy, with alpha, lossless) sizes are read as sharp reads them', async () => {
	for (const { width, height } of SIZES) {
		for (const [format, data] of Object.entries(await encodings(width, height))) {
			const read = await sharp(data).metadata();
			expect({ format, ...headerSize(data) }).toEqual({ format, width: read.width, height: read.height });
		}
	}
});

test('anything else is not guessed: sharp reads it, and what is not a picture is refused', async () => {
	const gif = await sharp({ create: { width: 30, height: 20, channels: 3, background: 'red' } })
		.gif()
		.toBuffer();
	expect(headerSize(gif)).toBeUndefined();
	expect(await sizeOf(gif)).toEqual({ width: 30, height: 20 });
	const png = await sharp({ create: { width: 30, height: 20, channels: 3, background: 'red' } })
		.png()
		.toBuffer();
	// A cut header is not read from.
	expect(headerSize(png.subarray(0, 20))).toBeUndefined();
	expect(headerSize(Buffer.from('not a picture at all, but long enough to look'))).toBeUndefined();
	await expect(sizeOf(Buffer.from('not a picture'))).rejects.toThrow();
});
