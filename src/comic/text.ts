/**
 * What typed text may hold before it is stored or shown. Plain functions with no imports, used at the
 * edge (src/discord/checkOptions.ts) for every string option and modal input.
 */

/**
 * Control characters other than tab, line feed and carriage return (C0, DEL and C1), and unpaired
 * surrogates. PostgreSQL refuses a NUL in text (Prisma P2039) and a lone surrogate is stored as
 * U+FFFD, which changes the text's length and makes the name as typed no longer find its row, so
 * neither may reach the database; tab and line breaks are ordinary in a prompt or a story, and
 * names fold them to spaces (names.ts).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is wrong with `text`, in words for the user, or undefined when it may be used. */
export function unsafeCharacter(text: string): string | undefined {
	const found = UNSAFE.exec(text);
	if (!found) return undefined;
	const code = found[0].charCodeAt(0);
	if (code >= 0xd800 && code <= 0xdfff) return 'a broken character (half of an emoji or symbol)';
	return `an invisible control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}

const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/**
 * Text that no user typed (a language model's plan) with its unsafe characters taken out rather than
 * refused: nobody could fix it by typing again, and PostgreSQL would refuse a NUL in it.
 */
export function withoutUnsafe(text: string): string {
	return text.replace(UNSAFE_ALL, '');
}
