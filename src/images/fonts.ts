import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { canvasModule } from './native.ts';
import { readCoverage } from './lettering/coverage.ts';

const require = createRequire(import.meta.url);

/** The fonts shipped with the project (OFL-1.1 TTF files from npm packages); system fonts are never used. */
export const FONTS = {
	dialogue: { family: 'ComicBot Dialogue', file: '@expo-google-fonts/comic-neue/700Bold/ComicNeue_700Bold.ttf' },
	caption: { family: 'ComicBot Caption', file: '@expo-google-fonts/comic-neue/700Bold_Italic/ComicNeue_700Bold_Italic.ttf' },
	shout: { family: 'ComicBot Shout', file: '@expo-google-fonts/bangers/400Regular/Bangers_400Regular.ttf' },
} as const;

export type FontRole = keyof typeof FONTS;

let coverage: Record<FontRole, ReadonlySet<number>> | undefined;

/**
 * Registers the three fonts with Skia under their own family names (once) and returns the code points
 * each one has a glyph for, read from the font's cmap: Skia would otherwise fall back to a system font
 * or draw boxes for characters the font lacks.
 */
export function loadFonts(): Record<FontRole, ReadonlySet<number>> {
	if (coverage) return coverage;
	const read = (role: FontRole): ReadonlySet<number> => {
		const path = require.resolve(FONTS[role].file);
		if (!canvasModule().GlobalFonts.registerFromPath(path, FONTS[role].family)) throw new Error(`could not load the font ${path}`);
		return readCoverage(readFileSync(path));
	};
	coverage = { dialogue: read('dialogue'), caption: read('caption'), shout: read('shout') };
	return coverage;
}

/** A CSS font string for canvas, always naming one of our families. */
export function font(role: FontRole, size: number): string {
	return `${Math.round(size * 10) / 10}px "${FONTS[role].family}"`;
}
