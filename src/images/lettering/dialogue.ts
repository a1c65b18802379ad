import { LetteringError } from './letteringError.ts';

/** The `/comic panel` option limits, checked again here because the words also come from modals and story plans. */
export const LETTERING_LIMITS = { caption: 300, dialogue: 600 } as const satisfies Record<string, number>;

export interface Balloon {
	/** Who speaks (not lettered: it decides the balloon's side). */
	readonly speaker?: string;
	readonly text: string;
	/** Shouted lines get a spiky balloon and the shout font. */
	readonly shout: boolean;
}

const SPEAKER = /^@?([\p{L}\p{N}][\p{L}\p{N} ._'’-]{0,31}):\s+(.+)$/su;

/**
 * Splits a `dialogue` option into balloons: parts separated by `|` (the contract writes ` | `), each
 * `Name: words` or plain words. Empty parts are dropped.
 */
export function parseDialogue(dialogue: string): Balloon[] {
	if (dialogue.length > LETTERING_LIMITS.dialogue) {
		throw new LetteringError('too-long', `Dialogue can be at most ${LETTERING_LIMITS.dialogue} characters (it has ${dialogue.length}).`);
	}
	const balloons: Balloon[] = [];
	for (const part of dialogue.split('|')) {
		const plain = plainText(part);
		const named = SPEAKER.exec(plain);
		const speaker = named?.[1]?.trim();
		const text = named?.[2] ?? plain;
		if (text === '') continue;
		balloons.push(speaker ? { speaker, text, shout: isShout(text) } : { text, shout: isShout(text) });
	}
	return balloons;
}

/** The caption as it will be lettered, or undefined when there is none. */
export function parseCaption(caption: string | undefined): string | undefined {
	if (caption === undefined) return undefined;
	if (caption.length > LETTERING_LIMITS.caption) {
		throw new LetteringError('too-long', `A caption can be at most ${LETTERING_LIMITS.caption} characters (it has ${caption.length}).`);
	}
	const text = plainText(caption);
	return text === '' ? undefined : text;
}

/** All capitals with at least two letters, or ending with `!`. */
export function isShout(text: string): boolean {
	const letters = text.match(/\p{L}/gu) ?? [];
	const capitals = letters.length >= 2 && letters.some((letter) => /\p{Lu}/u.test(letter)) && text === text.toUpperCase();
	return capitals || text.trimEnd().endsWith('!');
}

/**
 * Discord markdown and mentions as the plain text a reader sees: the lettering is only pixels, so a
 * mention can ping nobody, but `<@123>` would read as noise. `@everyone` is left as typed.
 */
export function plainText(text: string): string {
	return text
		.replace(/<@!?\d+>/g, '@user')
		.replace(/<@&\d+>/g, '@role')
		.replace(/<#\d+>/g, '#channel')
		.replace(/<a?:(\w+):\d+>/g, ':$1:')
		.replace(/\*\*|__|~~|`/g, '')
		.replace(/\s+/gu, ' ')
		.trim();
}
