import type { Character, Project } from '../../db/database.ts';
import { type BaseModelGroup, baseModelGroup, GENERATION_DEFAULTS } from '../baseModels.ts';
import { UserFacingError } from '../errors.ts';
import { nameKey, quote } from '../names.ts';
import { findMentions, MAX_CHARACTERS_PER_PANEL } from './mentions.ts';

/**
 * The characters of a panel: those mentioned with `@Name` in its prompt, then the one the
 * `character` option names (when not mentioned already). With neither, the project's only
 * character. Refused: more than three, or characters drawn with different checkpoints.
 */
export function pickCharacters(project: Project, characters: readonly Character[], ref: string | null | undefined, prompt: string): Character[] {
	const picked = findMentions(prompt, characters).characters;
	const text = ref?.trim();
	if (text) {
		const named = characters.find((character) => character.id === text || character.nameKey === nameKey(text));
		if (!named)
			throw new UserFacingError(`**${quote(project.name)}** has no character named **${quote(text)}**. See its characters with \`/comic character list\`.`);
		if (!picked.includes(named)) picked.push(named);
	}
	if (picked.length === 0) {
		const [only, second] = characters;
		if (!only) throw new UserFacingError(`**${quote(project.name)}** has no characters yet. Add one with \`/comic character add\` first.`);
		if (second)
			throw new UserFacingError(
				`**${quote(project.name)}** has several characters: choose one with the \`character\` option, or mention them in the prompt like \`@${quote(only.name)}\`.`,
			);
		picked.push(only);
	}
	// A project drawing with an imageGen engine draws LoRA characters from their pictures: no checkpoint to share.
	if (project.engine === 'auto') checkCharacters(picked);
	else checkCharacters(picked.map(({ name, baseModel }) => ({ name, baseModel, lora: false })));
	return picked;
}

/**
 * At most three characters, all drawn with one checkpoint (one base-model group). A cast with a
 * character made from pictures is drawn from pictures, not a checkpoint: src/comic/engines/chooseWay.ts
 * decides for it.
 */
export function checkCharacters(characters: readonly (Pick<Character, 'name' | 'baseModel'> & { readonly lora?: boolean })[]): void {
	if (characters.length > MAX_CHARACTERS_PER_PANEL)
		throw new UserFacingError(
			`A panel can hold at most ${MAX_CHARACTERS_PER_PANEL} characters; this one names ${characters.length} (${characters.map((c) => `**${quote(c.name)}**`).join(', ')}). Leave some out.`,
		);
	if (characters.some((character) => character.lora === false)) return;
	const [first, ...rest] = characters;
	if (!first) return;
	const group = baseModelGroup(first.baseModel);
	for (const other of rest) {
		const otherGroup = baseModelGroup(other.baseModel);
		if (otherGroup !== group)
			throw new UserFacingError(
				`**${quote(first.name)}** is drawn with ${familyName(group, first.baseModel)} models and **${quote(other.name)}** with ${familyName(otherGroup, other.baseModel)} models: one panel uses one checkpoint, so they cannot share it. Draw them in separate panels.`,
			);
	}
}

/** A family as a refusal names it: its label, else the LoRA's own base model. */
function familyName(group: BaseModelGroup | undefined, baseModel: string): string {
	return group ? GENERATION_DEFAULTS[group].label : quote(baseModel);
}
