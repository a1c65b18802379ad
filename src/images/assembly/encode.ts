import type { Sharp } from 'sharp';
import type { ImageFormat } from './sources.ts';

export const QUALITY = { jpeg: 88, webp: 85, floor: 40, step: 8 } as const;

/**
 * Encodes a rendered slice or page. JPEG and WebP step their quality down until the file is under
 * `maxBytes`. PNG is lossless when that fits; a PNG over `maxBytes` (a detailed strip slice is 2–3 MB) is
 * reduced to 256 dithered colours, which a slice of at most 800 x 1280 always fits in (one byte a pixel
 * before compression), and is kept lossless only if that is not smaller.
 * `image` is called once per attempt because a sharp pipeline can be encoded only once.
 */
export async function encode(image: () => Sharp, format: ImageFormat, maxBytes = Number.POSITIVE_INFINITY): Promise<Buffer> {
	if (format === 'png') {
		const lossless = await image().png({ compressionLevel: 6 }).toBuffer();
		if (lossless.length <= maxBytes) return lossless;
		const reduced = await image().png({ palette: true, quality: 90, dither: 1, compressionLevel: 9, effort: 7 }).toBuffer();
		return reduced.length < lossless.length ? reduced : lossless;
	}
	for (let quality: number = QUALITY[format]; ; quality -= QUALITY.step) {
		const data = format === 'jpeg' ? await image().jpeg({ quality, mozjpeg: false }).toBuffer() : await image().webp({ quality }).toBuffer();
		if (data.length <= maxBytes || quality - QUALITY.step < QUALITY.floor) return data;
	}
}
