import type { Sharp } from 'sharp';
import type { ImageFormat } from './sources.ts';

export const QUALITY = { jpeg: 88, webp: 85, floor: 40, step: 8 } as const;

/**
 * Encodes a rendered slice or page. JPEG and WebP step their quality down until the file is under
 * `maxBytes`; PNG is lossless and is returned as it comes (the contract's "where the format allows").
 * `image` is called once per attempt because a sharp pipeline can be encoded only once.
 */
export async function encode(image: () => Sharp, format: ImageFormat, maxBytes = Number.POSITIVE_INFINITY): Promise<Buffer> {
	if (format === 'png') return image().png({ compressionLevel: 6 }).toBuffer();
	for (let quality: number = QUALITY[format]; ; quality -= QUALITY.step) {
		const data = format === 'jpeg' ? await image().jpeg({ quality, mozjpeg: false }).toBuffer() : await image().webp({ quality }).toBuffer();
		if (data.length <= maxBytes || quality - QUALITY.step < QUALITY.floor) return data;
	}
}
