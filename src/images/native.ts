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
const loaded: { sharp?: typeof Sharp; canvas?: typeof Canvas; pdfLib?: typeof PdfLib; yazl?: typeof Yazl } = {};

export function sharpModule(): typeof Sharp {
	const module: typeof Sharp = loaded.sharp ?? require('sharp');
	loaded.sharp = module;
	return module;
}

export function canvasModule(): typeof Canvas {
	const module: typeof Canvas = loaded.canvas ?? require('@napi-rs/canvas');
	loaded.canvas = module;
	return module;
}

export function pdfLibModule(): typeof PdfLib {
	const module: typeof PdfLib = loaded.pdfLib ?? require('pdf-lib');
	loaded.pdfLib = module;
	return module;
}

export function yazlModule(): typeof Yazl {
	const module: typeof Yazl = loaded.yazl ?? require('yazl');
	loaded.yazl = module;
	return module;
}
