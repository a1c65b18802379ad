import type Sharp from 'sharp';
import { sharpModule } from './native.ts';

let configured = false;

/**
 * sharp, set up once for this process: two libvips threads (it defaults to one here) and no operation
 * cache (every picture is read once), measured ~10 % faster on these 2-core machines. Called by every
 * entry point instead of at import time, so importing a module has no side effect.
 */
export function imageEngine(): typeof Sharp {
	const sharp = sharpModule();
	if (!configured) {
		sharp.concurrency(2);
		sharp.cache(false);
		configured = true;
	}
	return sharp;
}

export interface Size {
	readonly width: number;
	readonly height: number;
}

/** Reads a picture's size from its header (no decode): PNG, JPEG and WebP read here, anything else by sharp. */
export async function sizeOf(image: Buffer): Promise<Size> {
	const read = headerSize(image);
	if (read) return read;
	const { width, height } = await imageEngine()(image).metadata();
	return { width, height };
}

/**
 * The size written in a PNG, JPEG or WebP header, or undefined for anything else (or a header that does
 * not make sense). Every delivered picture's size is read once: in the process, this costs microseconds
 * where sharp's round trip through its thread pool cost about half a millisecond of the bot's CPU.
 */
export function headerSize(image: Buffer): Size | undefined {
	const size = pngSize(image) ?? jpegSize(image) ?? webpSize(image);
	return size && size.width > 0 && size.height > 0 ? size : undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(image: Buffer): Size | undefined {
	if (image.length < 24 || !image.subarray(0, 8).equals(PNG_SIGNATURE) || image.toString('latin1', 12, 16) !== 'IHDR') return undefined;
	return { width: image.readUInt32BE(16), height: image.readUInt32BE(20) };
}

function jpegSize(image: Buffer): Size | undefined {
	if (image.length < 4 || image[0] !== 0xff || image[1] !== 0xd8) return undefined;
	let at = 2;
	while (at + 4 <= image.length) {
		if (image[at] !== 0xff) return undefined;
		const marker = image[at + 1] ?? 0;
		// Fill bytes, and markers without a length (RST, TEM).
		if (marker === 0xff) {
			at++;
			continue;
		}
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			at += 2;
			continue;
		}
		const length = image.readUInt16BE(at + 2);
		// Start of frame (any kind but DHT, JPG and DAC, which share the range): precision, height, width.
		if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
			if (at + 9 > image.length) return undefined;
			return { width: image.readUInt16BE(at + 7), height: image.readUInt16BE(at + 5) };
		}
		if (marker === 0xda || length < 2) return undefined;
		at += 2 + length;
	}
	return undefined;
}

function webpSize(image: Buffer): Size | undefined {
	if (image.length < 30 || image.toString('latin1', 0, 4) !== 'RIFF' || image.toString('latin1', 8, 12) !== 'WEBP') return undefined;
	const chunk = image.toString('latin1', 12, 16);
	if (chunk === 'VP8X') return { width: 1 + image.readUIntLE(24, 3), height: 1 + image.readUIntLE(27, 3) };
	if (chunk === 'VP8L') {
		if (image[20] !== 0x2f) return undefined;
		const bits = image.readUInt32LE(21);
		return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
	}
	if (chunk === 'VP8 ') {
		// A key frame's start code, then 14-bit width and height.
		if (image[23] !== 0x9d || image[24] !== 0x01 || image[25] !== 0x2a) return undefined;
		return { width: image.readUInt16LE(26) & 0x3fff, height: image.readUInt16LE(28) & 0x3fff };
	}
	return undefined;
}
