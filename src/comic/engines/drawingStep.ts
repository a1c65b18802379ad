import { type DrawingStep, imageGenInputSchema, textToImageInputSchema } from '../../civitai/orchestrator.ts';

/**
 * The one place a drawing's stored input (Drawing.params) becomes its workflow step: an imageGen
 * engine's input (it names its `engine`) or a LoRA panel's textToImage input; undefined when it is
 * neither (then the prompt is built again). Submission and the whatif estimate both go through here,
 * so the estimate is made with the very body that is submitted, references included.
 */
export function drawingStep(params: unknown): DrawingStep | undefined {
	if (typeof params === 'object' && params !== null && 'engine' in params) {
		const imageGen = imageGenInputSchema.safeParse(params);
		return imageGen.success ? { $type: 'imageGen', input: imageGen.data } : undefined;
	}
	const textToImage = textToImageInputSchema.safeParse(params);
	return textToImage.success ? { $type: 'textToImage', input: textToImage.data } : undefined;
}
