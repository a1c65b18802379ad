/** Names compare without regard to case or surrounding spaces. */
export function nameKey(name: string): string {
	return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function cleanName(name: string): string {
	return name.trim().replace(/\s+/g, ' ');
}

/**
 * User text (names, prompts, captions, dialogue, and what Civitai or the language model wrote) shown
 * in a message, the one helper every message uses: it shows as typed and forms no Markdown. Inline
 * marks (emphasis, spoilers, code, masked links `[text](url)`, `<#channel>` and `<t:…>` tags) are
 * escaped everywhere; what only counts at the start of a line (headings, `-#` subtext, lists, block
 * quotes) is escaped there, since the text may be placed at a line's start. `@` gets a zero-width space:
 * mentions are also disabled by allowed_mentions, this keeps them from even looking like one.
 */
export function quote(text: string): string {
	return text
		.replace(/[\\`*_~|[\]<]/g, (char) => `\\${char}`)
		.replace(
			/^([ \t]*)([#>+-]|\d+[.)])/gm,
			(_, space: string, mark: string) => `${space}${mark.length > 1 ? `${mark.slice(0, -1)}\\${mark.slice(-1)}` : `\\${mark}`}`,
		)
		.replace(/@/g, '@\u200b');
}
