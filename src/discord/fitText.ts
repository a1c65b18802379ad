/** Discord's limits for what the bot writes (https://discord.com/developers/docs/resources/message). */
export const DISCORD_LIMITS = { content: 2000, embedTitle: 256, embedDescription: 4096, embedFooter: 2048 } as const;

/** Cuts text to `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** One line of at most `max` characters: a name or a prompt inside a list. */
export function oneLine(text: string, max: number): string {
	return clip(text.replace(/\s+/g, ' ').trim(), max);
}

/**
 * Joins as many lines as fit in `max` characters; the ones left out are summarised by `more`
 * (given how many), so a long list never breaks a Discord limit.
 */
export function fitLines(lines: readonly string[], max: number, more: (left: number) => string): string {
	const kept: string[] = [];
	let length = 0;
	for (const [index, line] of lines.entries()) {
		const left = lines.length - index - 1;
		// Room for this line, and for the summary should a later one not fit.
		const reserve = left > 0 ? more(left).length + 1 : 0;
		if (length + line.length + 1 + reserve > max) {
			kept.push(more(lines.length - index));
			return kept.join('\n');
		}
		kept.push(line);
		length += line.length + 1;
	}
	return kept.join('\n');
}

/** The last lines that fit in `max` characters, for lists where the newest entries matter most. */
export function lastLinesThatFit(lines: readonly string[], max: number): string[] {
	const kept: string[] = [];
	let length = 0;
	for (let index = lines.length - 1; index >= 0; index--) {
		const line = lines[index] ?? '';
		if (length + line.length + 1 > max) break;
		kept.unshift(line);
		length += line.length + 1;
	}
	return kept;
}

/** "1 panel", "3 panels". */
export function plural(n: number, noun: string): string {
	return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
