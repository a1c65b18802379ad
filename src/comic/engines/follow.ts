import type { Engine } from './engines.ts';

/**
 * Whether a panel of `characters` characters can also take the followed panel's picture: each character
 * needs at least one of the engine's images, and the followed picture comes after them all.
 */
export function followFits(engine: Pick<Engine, 'maxImages'>, characters: number): boolean {
	return characters + 1 <= engine.maxImages;
}

/** The sentence of the prompt that says what the followed picture is: the same place, a moment later. */
export function followSentence(image: number, panelNumber: number): string {
	return `Image ${image} is the previous panel (panel ${panelNumber}): this panel is the same place a moment later, so keep its setting, lighting and style, and continue its action.`;
}
