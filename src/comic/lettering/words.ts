import { layoutWords, LetteringError, parseCaption, parseDialogue, type Size, type Words } from '../../images/index.ts';
import { UserFacingError } from '../errors.ts';
import { CAPTION_MAX, DIALOGUE_MAX } from '../limits.ts';

/** A panel's words as stored on it: what the user typed, null for none. */
export interface PanelWords {
	readonly caption: string | null;
	readonly dialogue: string | null;
}

export function hasWords(words: PanelWords): boolean {
	return Boolean(words.caption?.trim() || words.dialogue?.trim());
}

/** What the engine letters for stored words (markdown and mentions become plain text there). */
export function toWords(words: PanelWords): Words {
	const caption = parseCaption(words.caption ?? undefined);
	const balloons = words.dialogue ? parseDialogue(words.dialogue) : [];
	return caption === undefined ? { balloons } : { caption, balloons };
}

/**
 * The words, trimmed, checked against the option limits and laid out on a picture of `size` (a few
 * milliseconds, no pixels drawn): too long for the picture, or characters the fonts lack, is a refusal
 * that says what fits. Nothing is stored before this passes.
 */
export function checkWords(input: { caption?: string | null | undefined; dialogue?: string | null | undefined }, size: Size): PanelWords {
	const caption = input.caption?.trim() || null;
	const dialogue = input.dialogue?.trim() || null;
	if (caption && caption.length > CAPTION_MAX)
		throw new UserFacingError(`The caption is ${caption.length} characters long; the limit is ${CAPTION_MAX}. Shorten it.`);
	if (dialogue && dialogue.length > DIALOGUE_MAX)
		throw new UserFacingError(`The dialogue is ${dialogue.length} characters long; the limit is ${DIALOGUE_MAX}. Shorten it.`);
	const words = { caption, dialogue };
	// No words, nothing to lay out: most panels, and the fonts stay unloaded until a panel has some.
	if (!caption && !dialogue) return words;
	try {
		layoutWords(toWords(words), size);
	} catch (error) {
		throw refusalOf(error);
	}
	return words;
}

/** A LetteringError's plain message is written for the user who typed the words. */
export function refusalOf(error: unknown): unknown {
	return error instanceof LetteringError ? new UserFacingError(error.message) : error;
}
