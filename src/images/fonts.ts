import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { canvasModule, loadCanvas } from './native.ts';
import { readCoverage } from './lettering/coverage.ts';
import { hanFor, scriptFamilies } from './scripts.ts';

const require = createRequire(import.meta.url);

/** The fonts shipped with the project (OFL-1.1 TTF files from npm packages); system fonts are never used. */
export const FONTS = {
	dialogue: { family: 'ComicBot Dialogue', file: '@expo-google-fonts/comic-neue/700Bold/ComicNeue_700Bold.ttf' },
	caption: { family: 'ComicBot Caption', file: '@expo-google-fonts/comic-neue/700Bold_Italic/ComicNeue_700Bold_Italic.ttf' },
	shout: { family: 'ComicBot Shout', file: '@expo-google-fonts/bangers/400Regular/Bangers_400Regular.ttf' },
} as const;

export type FontRole = keyof typeof FONTS;

/**
 * Listed after each comic font: Skia takes a glyph from the next family in the list when the comic font
 * lacks it, shaping each run with HarfBuzz (checked: Arabic joins, right-to-left runs reorder). Noto Sans
 * brings Cyrillic, Greek and Vietnamese; the caption's italic has its own italic fallback.
 */
export const FALLBACK = {
	upright: { family: 'ComicBot Sans', file: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf' },
	italic: { family: 'ComicBot Sans Italic', file: '@expo-google-fonts/noto-sans/700Bold_Italic/NotoSans_700Bold_Italic.ttf' },
} as const;

const FALLBACK_OF: Record<FontRole, keyof typeof FALLBACK> = { dialogue: 'upright', caption: 'italic', shout: 'upright' };

let coverage: Record<FontRole, ReadonlySet<number>> | undefined;

/**
 * Registers the three fonts with Skia under their own family names (once) and returns the code points
 * each one has a glyph for, read from the font's cmap: Skia would otherwise fall back to a system font
 * or draw boxes for characters the font lacks.
 */
export function loadFonts(): Record<FontRole, ReadonlySet<number>> {
	if (coverage) return coverage;
	const register = (file: string, family: string): ReadonlySet<number> => {
		const path = require.resolve(file);
		if (!canvasModule().GlobalFonts.registerFromPath(path, family)) throw new Error(`could not load the font ${path}`);
		return readCoverage(readFileSync(path));
	};
	const fallbacks = {
		upright: register(FALLBACK.upright.file, FALLBACK.upright.family),
		italic: register(FALLBACK.italic.file, FALLBACK.italic.family),
	};
	// A character can be lettered when the comic font or its fallback has it.
	const read = (role: FontRole): ReadonlySet<number> => new Set([...register(FONTS[role].file, FONTS[role].family), ...fallbacks[FALLBACK_OF[role]]]);
	coverage = { dialogue: read('dialogue'), caption: read('caption'), shout: read('shout') };
	return coverage;
}

/** Skia loaded without blocking a command (./native.ts), then the fonts registered: what every entry point that letters awaits first. */
export async function fontsReady(): Promise<Record<FontRole, ReadonlySet<number>>> {
	await loadCanvas();
	return loadFonts();
}

/**
 * A CSS font string for canvas, always naming one of our families, then its fallback, then (when `text`
 * is given) the script fonts for its characters the two lack, loaded on first use. `han` picks the CJK
 * font for Han characters (from the whole panel's words: see `hanFor`). `bold` selects weight 700 of the
 * variable script fonts; the Comic Neue files are bold already, so it changes nothing for them, but Skia would
 * embolden Bangers (the shout font) artificially, so shouts leave it out.
 */
export function font(role: FontRole, size: number, text?: string, han = hanFor(text ?? '')): string {
	const base = `"${FONTS[role].family}", "${FALLBACK[FALLBACK_OF[role]].family}"`;
	const extra = text === undefined ? [] : scriptFamilies(text, loadFonts()[role], han);
	return `${role === 'shout' ? '' : 'bold '}${Math.round(size * 10) / 10}px ${[base, ...extra.map((family) => `"${family}"`)].join(', ')}`;
}
