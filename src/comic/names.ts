/** Names compare without regard to case or surrounding spaces. */
export function nameKey(name: string): string {
	return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function cleanName(name: string): string {
	return name.trim().replace(/\s+/g, ' ');
}

/** Text shown inside Discord markdown: backticks and mention syntax cannot break out of it. */
export function quote(text: string): string {
	return text.replace(/[`*_~|\\]/g, (char) => `\\${char}`).replace(/@/g, '@\u200b');
}
