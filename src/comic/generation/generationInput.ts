import { GENERATION_DEFAULTS, baseModelGroup } from '../baseModels.ts';
import { UserFacingError } from '../errors.ts';
import { cutPrompt } from '../prompt.ts';
import type { DrawingParams } from './imageGenInput.ts';

export interface LoraCharacter {
	readonly name?: string;
	readonly air: string;
	readonly baseModel: string;
	/** The LoRA's weight; 1 when not given. */
	readonly strength?: number;
}

/**
 * The stored settings of one panel: its family's row of the generation table (src/comic/baseModels.ts;
 * one checkpoint: the characters share a family, checked when the panel was asked for), and every
 * character's LoRA with its strength. `workflowRequestOf` turns them into the step the family is drawn with.
 */
export function generationInput(list: readonly LoraCharacter[], prompt: string, seed: number, quantity = 1): DrawingParams {
	const [first] = list;
	if (!first) throw new UserFacingError('The characters of this panel were removed before it could be drawn.');
	const group = baseModelGroup(first.baseModel);
	if (!group) throw new UserFacingError(`This character's base model **${first.baseModel}** is no longer supported.`);
	for (const other of list)
		if (baseModelGroup(other.baseModel) !== group)
			throw new UserFacingError(
				`The characters of this panel no longer share a checkpoint (${first.baseModel} and ${other.baseModel}). Draw them in separate panels.`,
			);
	const defaults = GENERATION_DEFAULTS[group];
	const loraType = 'loraType' in defaults ? defaults.loraType : undefined;
	return {
		model: defaults.checkpoint,
		additionalNetworks: Object.fromEntries(
			list.map((character) => [character.air, { strength: character.strength ?? 1, ...(loraType ? { type: loraType } : {}) }]),
		),
		prompt: cutPrompt(prompt),
		...(defaults.negativePrompt ? { negativePrompt: defaults.negativePrompt } : {}),
		scheduler: defaults.scheduler,
		steps: defaults.steps,
		cfgScale: defaults.cfgScale,
		...(defaults.clipSkip ? { clipSkip: defaults.clipSkip } : {}),
		seed,
		width: defaults.width,
		height: defaults.height,
		quantity,
		family: group,
	};
}
