import type { OverlayOptions } from 'sharp';
import { canvasModule } from '../native.ts';
import { type FontRole, font, loadFonts } from '../fonts.ts';
import { missingCharacters } from '../lettering/coverage.ts';

export interface Label {
	readonly overlay: OverlayOptions;
	readonly width: number;
	readonly height: number;
}

/**
 * A line of text (a title, a page or panel number) on a transparent layer, ready to composite with sharp.
 * It is shrunk to `maxWidth`. A project name may hold characters the fonts lack: those are left out
 * (this is decoration, unlike a panel's words, which are refused).
 */
export function label(text: string, options: { role: FontRole; size: number; maxWidth: number; color?: string }): Label | undefined {
	const coverage = loadFonts();
	const missing = new Set(missingCharacters(text, coverage[options.role]));
	const shown = [...text]
		.filter((char) => !missing.has(char))
		.join('')
		.replace(/\s+/g, ' ')
		.trim();
	if (shown === '') return undefined;
	const measureCtx = canvasModule().createCanvas(1, 1).getContext('2d');
	let size = options.size;
	measureCtx.font = font(options.role, size);
	const measured = measureCtx.measureText(shown).width;
	if (measured > options.maxWidth) size = Math.max(8, (size * options.maxWidth) / measured);
	const width = Math.max(1, Math.min(options.maxWidth, Math.ceil((measured * size) / options.size) + 4));
	const height = Math.ceil(size * 1.3);
	const canvas = canvasModule().createCanvas(width, height);
	const ctx = canvas.getContext('2d');
	ctx.font = font(options.role, size);
	ctx.fillStyle = options.color ?? '#111111';
	ctx.textBaseline = 'middle';
	ctx.textAlign = 'center';
	ctx.fillText(shown, width / 2, height / 2);
	return { overlay: { input: canvas.data(), raw: { width, height, channels: 4, premultiplied: true } }, width, height };
}

/** A file name part from a project name: lowercase ASCII letters, digits and dashes. */
export function slug(title: string): string {
	const plain = title
		.normalize('NFKD')
		.replace(/[^\x20-\x7e]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 40);
	return plain === '' ? 'comic' : plain;
}
