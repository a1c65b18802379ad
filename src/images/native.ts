import { createRequire } from 'node:module';
import type * as Canvas from '@napi-rs/canvas';
import type * as PdfLib from 'pdf-lib';
import type Sharp from 'sharp';
import type * as Yazl from 'yazl';

const require = createRequire(import.meta.url);

/**
 * The native and large libraries of the picture engine, loaded on first need rather than at start:
 * sharp (libvips) and Skia each add 13–16 MB to a bot process, which one that never letters, exports or
 * takes a picture character should not carry (docs/decisions/007-memory.md, 031-memory.md). Each is
 * loaded with `import()` by the async entry points before any work, so no command waits on a
 * synchronous `require` in the middle of its checks.
 */
function once<T>(load: () => Promise<T>): () => Promise<T> {
	let loading: Promise<T> | undefined;
	return () => {
		loading ??= load().catch((error: unknown) => {
			// A failed load (a missing optional package) is tried again next time rather than remembered.
			loading = undefined;
			throw error;
		});
		return loading;
	};
}

export const loadSharp = once(async (): Promise<typeof Sharp> => (await import('sharp')).default);
export const loadCanvas = once(async (): Promise<typeof Canvas> => import('@napi-rs/canvas'));
export const loadPdfLib = once(async (): Promise<typeof PdfLib> => import('pdf-lib'));
export const loadYazl = once(async (): Promise<typeof Yazl> => import('yazl'));

/**
 * Skia for the synchronous drawing and measuring code, after `loadCanvas()` (or `fontsReady()`) was awaited:
 * then it is the loaded module, returned at once. Reached first without that, it loads synchronously.
 */
export function canvasModule(): typeof Canvas {
	return require('@napi-rs/canvas');
}
