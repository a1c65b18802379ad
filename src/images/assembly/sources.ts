import { type Size, sizeOf } from '../engine.ts';

/**
 * A panel's picture: bytes in hand, or a loader (the picture store) called when the picture is needed,
 * so an export of many panels holds one or two pictures at a time. Give the size when it is known to
 * save a first read.
 */
export interface PanelSource {
	readonly image: Buffer | (() => Promise<Buffer>);
	readonly width?: number;
	readonly height?: number;
}

export async function load(panel: PanelSource): Promise<Buffer> {
	return typeof panel.image === 'function' ? panel.image() : panel.image;
}

export async function measure(panel: PanelSource): Promise<Size> {
	if (panel.width && panel.height) return { width: panel.width, height: panel.height };
	return sizeOf(await load(panel));
}

export type ImageFormat = 'jpeg' | 'png' | 'webp';

export const EXTENSION: Readonly<Record<ImageFormat, string>> = { jpeg: 'jpg', png: 'png', webp: 'webp' };
export const MIME: Readonly<Record<ImageFormat, string>> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** One output file of an export: a strip slice or a page. */
export interface RenderedImage {
	readonly name: string;
	readonly data: Buffer;
	readonly width: number;
	readonly height: number;
	readonly mime: string;
}

/** Gathers an export's files (for small exports and tests; large ones should be consumed as they come). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
	const all: T[] = [];
	for await (const item of items) all.push(item);
	return all;
}
