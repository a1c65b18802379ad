import { z } from 'zod';
import { type ImageGenInput, type TextToImageInput, textToImageInputSchema } from '../../civitai/orchestrator.ts';
import { type BaseModelGroup, GENERATION_DEFAULTS, type GenerationDefaults, type ImageGenSpec } from '../baseModels.ts';

/**
 * What a drawing stores (`Drawing.params`): the settings in `textToImage` form, which Details reads for
 * every family, and the family they were made for. Params stored before families had no `family`:
 * they are `textToImage`.
 */
export const drawingParamsSchema = textToImageInputSchema.extend({ family: z.string().optional() });
export type DrawingParams = z.output<typeof drawingParamsSchema>;

/** What is submitted for stored params: the `textToImage` input, and the `imageGen` input when the family is drawn by an engine. */
export interface WorkflowRequest {
	readonly input: TextToImageInput;
	readonly imageGen: ImageGenInput | undefined;
}

const isFamily = (key: string): key is BaseModelGroup => Object.hasOwn(GENERATION_DEFAULTS, key);

export function workflowRequestOf(params: DrawingParams): WorkflowRequest {
	const { family: key, ...input } = params;
	const family: GenerationDefaults | undefined = key !== undefined && isFamily(key) ? GENERATION_DEFAULTS[key] : undefined;
	if (!family || family.step === 'textToImage') return { input, imageGen: undefined };
	return { input, imageGen: imageGenInput(family.step, family, input) };
}

/**
 * The `imageGen` input Civitai's generator sends for a family (its ecosystem handler): the engine's
 * fields, then the shared settings under the engine's names; LoRAs keyed by AIR with their strengths.
 */
export function imageGenInput(spec: ImageGenSpec, family: Pick<GenerationDefaults, 'checkpoint'>, params: TextToImageInput): ImageGenInput {
	const networks = Object.entries(params.additionalNetworks);
	const loras =
		spec.loras === 'list'
			? networks.map(([air, { strength }]) => ({ air, strength }))
			: Object.fromEntries(networks.map(([air, { strength }]) => [air, strength]));
	return {
		...spec.fields,
		prompt: params.prompt,
		...(params.negativePrompt ? { negativePrompt: params.negativePrompt } : {}),
		width: params.width,
		height: params.height,
		[spec.cfgKey]: params.cfgScale,
		[spec.stepsKey]: params.steps,
		...(spec.sampler ? { [spec.sampler.key]: spec.sampler.value } : {}),
		...(spec.schedule ? { [spec.schedule.key]: spec.schedule.value } : {}),
		seed: params.seed,
		quantity: params.quantity,
		...(networks.length > 0 ? { loras } : {}),
		...(spec.checkpointKey ? { [spec.checkpointKey]: family.checkpoint } : {}),
	};
}
