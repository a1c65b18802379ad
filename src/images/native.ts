import { createRequire } from 'node:module';
import type * as Canvas from '@napi-rs/canvas';
import type * as PdfLib from 'pdf-lib';
import type Sharp from 'sharp';
import type * as Yazl from 'yazl';

const require = createRequire(import.meta.url);

/**
 * The native and large libraries of the picture engine, loaded on first use rather than at start:
 * together they add about 45 MB to a bot process (libvips, Skia, pdf-lib), which one that never letters
 * or exports should not carry. CommonJS `require` keeps the load synchronous for the synchronous
 * callers (text measuring).
 */
function lazy<T>(load: () => T): () => T {
	let module: T | undefined;
	return () => {
		module ??= load();
		return module;
	};
}

export const sharpModule = lazy((): typeof Sharp => require('sharp'));
export const canvasModule = lazy((): typeof Canvas => require('@napi-rs/canvas'));
export const pdfLibModule = lazy((): typeof PdfLib => require('pdf-lib'));
export const yazlModule = lazy((): typeof Yazl => require('yazl'));
