import { LetteringError } from './letteringError.ts';

/** The `/comic panel` option limits, checked again here because the words also come from modals and story plans. */
export const LETTERING_LIMITS = { caption: 300, dialogue: 600 } as const satisfies Record<string, number>;

/**
 * How a line is spoken, which decides the balloon: a smooth ellipse, a burst (shout font), a dashed
 * ellipse (whisper) or a cloud with bubbles instead of a tail (thought).
 */
export type Voice = 'speech' | 'shout' | 'whisper' | 'thought';

export interface Balloon {
	/** Who speaks (not lettered: it decides the balloon's side and keeps it for the panel). */
	readonly speaker?: string;
	/** The words with their typography set (curly quotes, dashes, ellipses); `*x*` and `**x**` marks remain for the layout. */
	readonly text: string;
	readonly voice: Voice;
}

/**
 * Explicit markers at the start of a line (after the speaker's name): `(shout)`, `(whisper)`,
 * `(thought)` (also `(thinks)`). Written in the words because the dialogue is one text option.
 */
const MARKER = /^\((shout|shouts|whisper|whispers|thought|thinks)\)\s*/iu;
const VOICE_OF: Record<string, Voice> = { shout: 'shout', shouts: 'shout', whisper: 'whisper', whispers: 'whisper', thought: 'thought', thinks: 'thought' };

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
		// `**Mia**: hi` names Mia: emphasis around a name is not part of it.
		const plain = plainText(part).replace(/^(\*\*|__|\*|_)([^*_:]{1,32})\1:/u, '$2:');
		const named = SPEAKER.exec(plain);
		const speaker = named?.[1]?.trim();
		const said = named?.[2] ?? plain;
		const marker = MARKER.exec(said);
		const text = typeset(marker ? said.slice(marker[0].length) : said);
		if (text === '' || !/[\p{L}\p{N}\p{S}\p{P}]/u.test(text)) continue;
		const voice: Voice = marker ? (VOICE_OF[(marker[1] ?? '').toLowerCase()] ?? 'speech') : isShout(text) ? 'shout' : 'speech';
		balloons.push(speaker ? { speaker, text, voice } : { text, voice });
	}
	return balloons;
}

/** The caption as it will be lettered, or undefined when there is none. */
export function parseCaption(caption: string | undefined): string | undefined {
	if (caption === undefined) return undefined;
	if (caption.length > LETTERING_LIMITS.caption) {
		throw new LetteringError('too-long', `A caption can be at most ${LETTERING_LIMITS.caption} characters (it has ${caption.length}).`);
	}
	const text = typeset(plainText(caption));
	return text === '' ? undefined : text;
}

/**
 * A shout is all capitals (at least two letters, none lower case) ending with `!` (or `!?`): "Run!" is
 * spoken, "OK" is spoken, "WATCH OUT!" is shouted. Scripts without case never shout unmarked.
 */
export function isShout(text: string): boolean {
	const bare = text.replace(/[*_]/g, '');
	const letters = bare.match(/\p{L}/gu) ?? [];
	const capitals = letters.filter((letter) => /\p{Lu}/u.test(letter)).length;
	const lower = letters.filter((letter) => /\p{Ll}/u.test(letter)).length;
	return capitals >= 2 && lower === 0 && /![!?]*$/u.test(bare.trimEnd());
}

/**
 * Typewriter habits as a letterer sets them: straight quotes become curly (opening after a space or
 * bracket), `--` an em dash, `...` an ellipsis.
 */
export function typeset(text: string): string {
	return text
		.replace(/\.{3,}/g, '…')
		.replace(/\s*---?\s*/g, '—')
		.replace(/(^|[\s([{“‘—])"/gu, '$1“')
		.replace(/"/g, '”')
		.replace(/(^|[\s([{“—])'/gu, '$1‘')
		.replace(/'/g, '’');
}

/**
 * Discord markdown and mentions as the plain text a reader sees: the lettering is only pixels, so a
 * mention can ping nobody, but `<@123>` would read as noise. `@everyone` is left as typed. Emphasis
 * (`*x*`, `_x_`, `**x**`, `__x__`) stays: the layout letters it bold or italic without the marks.
 */
export function plainText(text: string): string {
	return text
		.replace(/<@!?\d+>/g, '@user')
		.replace(/<@&\d+>/g, '@role')
		.replace(/<#\d+>/g, '#channel')
		.replace(/<a?:(\w+):\d+>/g, ':$1:')
		.replace(/~~|`/g, '')
		.replace(/\s+/gu, ' ')
		.trim();
}
