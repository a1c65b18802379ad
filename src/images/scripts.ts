import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readCoverage } from './lettering/coverage.ts';
import { canvasModule } from './native.ts';

const require = createRequire(import.meta.url);

/**
 * Fonts for the scripts the comic fonts and Noto Sans lack, loaded only when a text needs them (a CJK font
 * is ~5 MB per weight even as subsets; the emoji font 25 MB), so a bot that letters only Latin never holds
 * them. The CJK, Arabic, Hebrew and Thai fonts are Noto Sans variable fonts split into unicode-range subsets
 * (WOFF2, which Skia reads; `bold` in the canvas font string selects weight 700 on the `wght` axis): only the
 * subsets a text touches are registered. The emoji font is Noto Color Emoji (COLR, drawn in colour by Skia).
 */
type Han = 'ja' | 'ko' | 'zh';

interface Subsetted {
	readonly key: Han | 'ar' | 'he' | 'th';
	readonly package: string;
}

const SUBSETTED: readonly Subsetted[] = [
	{ key: 'ja', package: '@fontsource-variable/noto-sans-jp' },
	{ key: 'ko', package: '@fontsource-variable/noto-sans-kr' },
	{ key: 'zh', package: '@fontsource-variable/noto-sans-sc' },
	{ key: 'ar', package: '@fontsource-variable/noto-sans-arabic' },
	{ key: 'he', package: '@fontsource-variable/noto-sans-hebrew' },
	{ key: 'th', package: '@fontsource-variable/noto-sans-thai' },
];

const EMOJI_FILE = '@expo-google-fonts/noto-color-emoji/400Regular/NotoColorEmoji_400Regular.ttf';
const EMOJI_FAMILY = 'ComicBot Emoji';

interface Subset {
	readonly file: string;
	readonly ranges: readonly (readonly [number, number])[];
	readonly family: string;
}

let subsets: Map<Subsetted['key'], readonly Subset[]> | undefined;
let emojiCoverage: ReadonlySet<number> | undefined;
const registered = new Set<string>();

/** The subsets of each package, read from its stylesheet's `@font-face` rules (file and unicode-range). */
function allSubsets(): Map<Subsetted['key'], readonly Subset[]> {
	if (subsets) return subsets;
	subsets = new Map();
	for (const script of SUBSETTED) {
		const css = require.resolve(script.package);
		const text = readFileSync(css, 'utf8');
		const list: Subset[] = [];
		for (const match of text.matchAll(/src:\s*url\(\.\/files\/([^)]+\.woff2)\)[^;]*;\s*unicode-range:\s*([^;]+);/g)) {
			const [, file = '', range = ''] = match;
			const ranges = range.split(',').map((part): [number, number] => {
				const [from = '0', to] = part.trim().replace(/^U\+/i, '').split('-');
				return [Number.parseInt(from, 16), Number.parseInt(to ?? from, 16)];
			});
			list.push({ file: join(dirname(css), 'files', file), ranges, family: `ComicBot ${script.key} ${list.length}` });
		}
		if (list.length === 0) throw new Error(`no font subsets found in ${css}`);
		subsets.set(script.key, list);
	}
	return subsets;
}

function emoji(): ReadonlySet<number> {
	emojiCoverage ??= readCoverage(readFileSync(require.resolve(EMOJI_FILE)));
	return emojiCoverage;
}

/** Pictographs and the parts of emoji sequences (joiner, selectors, skin tones, flags' letters). */
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Component}]/u;

const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HANGUL = /\p{Script=Hangul}/u;

/**
 * Which CJK font draws Han characters: the same character is drawn differently in Japan, Korea and China,
 * so the text decides (kana → Japanese, Hangul → Korean, otherwise Simplified Chinese).
 */
export function hanFor(text: string): Han {
	if (KANA.test(text)) return 'ja';
	if (HANGUL.test(text)) return 'ko';
	return 'zh';
}

/** The order fonts are tried in: emoji first (CJK fonts have black-and-white forms of a few), then the text's CJK font. */
function order(han: Han): readonly Subsetted['key'][] {
	return [han, ...(['ja', 'ko', 'zh'] as const).filter((key) => key !== han), 'ar', 'he', 'th'];
}

function inRanges(code: number, ranges: Subset['ranges']): boolean {
	return ranges.some(([from, to]) => code >= from && code <= to);
}

/** True when a shipped script font has the character (the comic fonts and Noto Sans are checked before). */
export function scriptCovers(code: number): boolean {
	const all = allSubsets();
	for (const list of all.values()) for (const subset of list) if (inRanges(code, subset.ranges)) return true;
	return emoji().has(code);
}

/**
 * The families (registered on first use) that draw the characters of `text` that `base` (the comic font
 * and Noto Sans) lacks, in the order Skia should try them. Empty for text the base fonts cover.
 */
export function scriptFamilies(text: string, base: ReadonlySet<number>, han: Han): string[] {
	const wanted: string[] = [];
	const add = (family: string, file: string) => {
		if (!registered.has(family)) {
			if (!canvasModule().GlobalFonts.registerFromPath(file, family)) throw new Error(`could not load the font ${file}`);
			registered.add(family);
		}
		if (!wanted.includes(family)) wanted.push(family);
	};
	const missing = new Set<number>();
	for (const char of text) {
		const code = char.codePointAt(0) ?? 0;
		if (!base.has(code) && !/\s/u.test(char)) missing.add(code);
	}
	if (missing.size === 0) return wanted;
	const all = allSubsets();
	// Emoji first, and also for the joiners and selectors inside emoji sequences.
	if ([...missing].some((code) => EMOJI.test(String.fromCodePoint(code)) && emoji().has(code))) add(EMOJI_FAMILY, require.resolve(EMOJI_FILE));
	for (const key of order(han)) {
		for (const subset of all.get(key) ?? []) {
			for (const code of missing) {
				if (inRanges(code, subset.ranges)) {
					add(subset.family, subset.file);
					break;
				}
			}
		}
	}
	return wanted;
}

/** Strong right-to-left letters (Hebrew, Arabic and their presentation forms). */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/u;
const STRONG = /[\p{L}]/u;

/** The base direction of a text: that of its first letter (the Unicode bidi algorithm's rule P2). */
export function directionOf(text: string): 'ltr' | 'rtl' {
	for (const char of text) if (STRONG.test(char)) return RTL.test(char) ? 'rtl' : 'ltr';
	return 'ltr';
}
