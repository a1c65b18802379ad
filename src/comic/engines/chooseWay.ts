import { UserFacingError } from '../errors.ts';
import { quote } from '../names.ts';
import { DEFAULT_PICTURE_ENGINE, type Engine, ENGINES, isEngineName } from './engines.ts';

export interface CastMember {
	readonly name: string;
	/** Whether it has a LoRA (a character made from pictures has none). */
	readonly lora: boolean;
	/** How many reference pictures it has. */
	readonly pictures: number;
}

/** How a panel is drawn: a LoRA panel on its checkpoint (textToImage), or an imageGen engine from pictures. */
export type Way = { readonly kind: 'checkpoint' } | { readonly kind: 'pictures'; readonly engine: Engine };

const GIVE_PICTURES = 'Give it reference pictures with `/comic character pictures`';

/**
 * One panel uses one way of drawing (docs/decisions/019-picture-characters.md):
 * - the project's engine is an imageGen engine: every character is drawn from its pictures, so every
 *   one needs some;
 * - `auto` with only LoRA characters: their checkpoint, exactly as before pictures existed;
 * - `auto` with a character made from pictures: nano-banana-2, so every character needs pictures. A
 *   LoRA character with pictures joins from its pictures; one without is refused in plain words.
 */
export function chooseWay(projectEngine: string, cast: readonly CastMember[]): Way {
	if (isEngineName(projectEngine)) {
		const engine = ENGINES[projectEngine];
		const missing = cast.find((member) => member.pictures === 0);
		if (missing)
			throw new UserFacingError(
				`This project draws with **${engine.label}**, which draws characters from their pictures, and **${quote(missing.name)}** has none. ${GIVE_PICTURES}, or set the project's engine to \`auto\` with \`/comic project edit\`.`,
			);
		return { kind: 'pictures', engine };
	}
	const fromPictures = cast.find((member) => !member.lora);
	if (!fromPictures) return { kind: 'checkpoint' };
	const loraOnly = cast.find((member) => member.lora && member.pictures === 0);
	if (loraOnly)
		throw new UserFacingError(
			`**${quote(loraOnly.name)}** is drawn with a LoRA and **${quote(fromPictures.name)}** from pictures: one panel uses one way of drawing, so they cannot share it. ${GIVE_PICTURES.replace('it', `**${quote(loraOnly.name)}**`)} (then both are drawn from pictures), or draw them in separate panels.`,
		);
	return { kind: 'pictures', engine: ENGINES[DEFAULT_PICTURE_ENGINE] };
}
