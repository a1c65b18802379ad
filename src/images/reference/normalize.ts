import { imageEngine } from '../engine.ts';
import { pictureKind } from '../magicBytes.ts';

/** A reference picture as kept: JPEG, longest side at most this. */
export const REFERENCE_MAX_SIDE = 2048;
/** What a user may send: Discord's own default upload limit. */
export const REFERENCE_MAX_BYTES = 10 * 1024 * 1024;
const MIN_SIDE = 64;
const MAX_SIDE = 12_000;
const MAX_PIXELS = 60_000_000;
const THUMBNAIL_SIDE = 256;

export type ReferenceProblem = 'not-an-image' | 'too-big' | 'too-small' | 'too-large-dimensions';

export class ReferencePictureError extends Error {
	public constructor(
		public readonly problem: ReferenceProblem,
		message: string,
	) {
		super(message);
		this.name = 'ReferencePictureError';
	}
}

export interface NormalizedReference {
	readonly data: Buffer;
	readonly width: number;
	readonly height: number;
	readonly thumbnail: Buffer;
}

/**
 * Checks that `bytes` are really a picture of sane size and makes the reference kept for it: a JPEG
 * whose longest side is at most 2048 px (upright, without metadata), and a small thumbnail for lists.
 * sharp decodes on libuv's thread pool, so the event loop stays free while it works.
 */
export async function normalizeReference(bytes: Buffer): Promise<NormalizedReference> {
	if (bytes.length > REFERENCE_MAX_BYTES)
		throw new ReferencePictureError('too-big', `it is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; the limit is ${REFERENCE_MAX_BYTES / 1024 / 1024} MB`);
	if (!pictureKind(bytes)) throw new ReferencePictureError('not-an-image', 'it is not a picture (JPEG, PNG, WebP or GIF)');
	const sharp = await imageEngine();
	let meta: { width: number; height: number };
	try {
		meta = await sharp(bytes, { limitInputPixels: MAX_PIXELS }).metadata();
	} catch {
		throw new ReferencePictureError('not-an-image', 'it could not be read as a picture (damaged or unsupported)');
	}
	if (meta.width < MIN_SIDE || meta.height < MIN_SIDE)
		throw new ReferencePictureError('too-small', `it is ${meta.width}×${meta.height} px; a reference needs at least ${MIN_SIDE} px a side`);
	if (meta.width > MAX_SIDE || meta.height > MAX_SIDE || meta.width * meta.height > MAX_PIXELS)
		throw new ReferencePictureError('too-large-dimensions', `it is ${meta.width}×${meta.height} px; at most ${MAX_SIDE} px a side`);
	try {
		const { data, info } = await sharp(bytes, { limitInputPixels: MAX_PIXELS, animated: false })
			.rotate()
			.resize({ width: REFERENCE_MAX_SIDE, height: REFERENCE_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
			.flatten({ background: '#ffffff' })
			.jpeg({ quality: 90, mozjpeg: false })
			.toBuffer({ resolveWithObject: true });
		const thumbnail = await sharp(data).resize({ width: THUMBNAIL_SIDE, height: THUMBNAIL_SIDE, fit: 'inside' }).jpeg({ quality: 80 }).toBuffer();
		return { data, width: info.width, height: info.height, thumbnail };
	} catch {
		throw new ReferencePictureError('not-an-image', 'it could not be read as a picture (damaged or unsupported)');
	}
}
