import type { Engine } from './engines.ts';

export interface NamedReferences {
	readonly name: string;
	readonly description: string | null;
	/** How many of the request's images are this character's (they follow each other in `images`). */
	readonly count: number;
}

/** What the prompt rewrite is told for a panel drawn from pictures: the pictures carry the looks. */
export const PICTURE_REWRITE_RULES =
	'The characters are drawn from reference pictures, so never describe their looks (face, hair, body, clothes, colours): name them exactly as written and describe only what they do, their poses and expressions, the setting, the framing and the lighting.';

/**
 * The prompt of a panel drawn from pictures: each character named with its images ("Mira (image 1)",
 * "Bolt (images 2 and 3)") and its few words, then the scene, cut to the engine's limit. The numbers
 * follow the order of `images`, as the engines read them.
 */
export function picturePrompt(engine: Engine, characters: readonly NamedReferences[], scene: string): string {
	let next = 1;
	const cast = characters
		.filter((character) => character.count > 0)
		.map((character) => {
			const numbers = Array.from({ length: character.count }, () => next++);
			const images = numbers.length === 1 ? `image ${numbers[0]}` : `images ${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`;
			return `${character.name} (${images}${character.description ? `: ${character.description}` : ''})`;
		});
	const head = cast.length > 0 ? `Comic panel with ${cast.join('; ')}. Keep each character exactly as in their reference images. ` : 'Comic panel. ';
	const text = `${head}${scene.trim()}`.replace(/\s+/g, ' ');
	const max = Math.min(engine.maxPrompt, 2_000);
	return text.length <= max ? text : text.slice(0, max);
}
