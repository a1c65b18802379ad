/** Most characters one panel may hold: each is a LoRA, and more than three blur into each other. */
export const MAX_CHARACTERS_PER_PANEL = 3;

/** A mention ends at the end of the prompt, a space or one of these. */
const MENTION_END = /[\s.,!?;:)\]]/;

export interface Mentions<C> {
	/** The characters mentioned, in the order of their first mention, each once. */
	readonly characters: C[];
	/** The prompt with the `@` of every recognised mention removed (what the image model reads). */
	readonly text: string;
}

/**
 * Finds `@Name` mentions of `characters` in a prompt: case-insensitive, the longest name first (so
 * `@Mary Jane` wins over `@Mary`), each ending at a space, punctuation or the end. An `@` followed
 * by no character's name is plain text and stays as typed.
 */
export function findMentions<C extends { readonly name: string }>(prompt: string, characters: readonly C[]): Mentions<C> {
	const byLength = [...characters].sort((a, b) => b.name.length - a.name.length);
	const found: C[] = [];
	let text = '';
	let index = 0;
	while (index < prompt.length) {
		const at = prompt.indexOf('@', index);
		if (at < 0) break;
		text += prompt.slice(index, at);
		const match = byLength.find((character) => mentionAt(prompt, at + 1, character.name));
		if (match) {
			if (!found.includes(match)) found.push(match);
			text += prompt.slice(at + 1, at + 1 + match.name.length);
			index = at + 1 + match.name.length;
		} else {
			text += '@';
			index = at + 1;
		}
	}
	text += prompt.slice(index);
	return { characters: found, text };
}

function mentionAt(prompt: string, start: number, name: string): boolean {
	if (!name) return false;
	if (prompt.slice(start, start + name.length).toLowerCase() !== name.toLowerCase()) return false;
	const next = prompt.charAt(start + name.length);
	return next === '' || MENTION_END.test(next);
}
