import type { TextToImageInput } from '../../civitai/orchestrator.ts';
import { GENERATION_DEFAULTS, baseModelGroup } from '../baseModels.ts';
import { UserFacingError } from '../errors.ts';
import { cutPrompt } from '../prompt.ts';

export interface LoraCharacter {
	readonly air: string;
	readonly baseModel: string;
}

/** The `textToImage` input for one panel: the contract's generation table for the LoRA's base model. */
export function generationInput(character: LoraCharacter, prompt: string, seed: number, quantity = 1): TextToImageInput {
	const group = baseModelGroup(character.baseModel);
	if (!group) throw new UserFacingError(`This character's base model **${character.baseModel}** is no longer supported.`);
	const defaults = GENERATION_DEFAULTS[group];
	return {
		model: defaults.checkpoint,
		additionalNetworks: { [character.air]: { strength: 1 } },
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
