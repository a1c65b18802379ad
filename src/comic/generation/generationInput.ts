import type { TextToImageInput } from '../../civitai/orchestrator.ts';
import { GENERATION_DEFAULTS, baseModelGroup } from '../baseModels.ts';
import { UserFacingError } from '../errors.ts';
import { cutPrompt } from '../prompt.ts';

export interface LoraCharacter {
	readonly name?: string;
	readonly air: string;
	readonly baseModel: string;
	/** The LoRA's weight; 1 when not given. */
	readonly strength?: number;
}

/**
 * The `textToImage` input for one panel: the contract's generation table for the base-model group of
 * its characters (one checkpoint: they share a group, checked when the panel was asked for), and
 * every character's LoRA in `additionalNetworks` with its strength.
 */
export function generationInput(list: readonly LoraCharacter[], prompt: string, seed: number, quantity = 1): TextToImageInput {
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
	return {
		model: defaults.checkpoint,
		additionalNetworks: Object.fromEntries(list.map((character) => [character.air, { strength: character.strength ?? 1 }])),
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
	};
}
