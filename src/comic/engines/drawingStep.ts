import { type DrawingStep, imageGenInputSchema } from '../../civitai/orchestrator.ts';
import { drawingParamsSchema, workflowRequestOf } from '../generation/imageGenInput.ts';

/**
 * The one place a drawing's stored input (Drawing.params) becomes its workflow step: a panel drawn
 * from pictures stores its engine's input as is (it names its `engine`); a LoRA panel stores the
 * textToImage form with its `family`, which becomes textToImage or, for a family Civitai draws with an
 * engine, imageGen (src/comic/generation/imageGenInput.ts). Undefined when it is neither (then the
 * prompt is built again). Submission and the whatif estimate both go through here, so the estimate is
 * made with the very body that is submitted, references included.
 */
export function drawingStep(params: unknown): DrawingStep | undefined {
	if (typeof params === 'object' && params !== null && 'engine' in params) {
		const imageGen = imageGenInputSchema.safeParse(params);
		return imageGen.success ? { $type: 'imageGen', input: imageGen.data } : undefined;
	}
	const stored = drawingParamsSchema.safeParse(params);
	if (!stored.success) return undefined;
	const request = workflowRequestOf(stored.data);
	return request.imageGen ? { $type: 'imageGen', input: request.imageGen } : { $type: 'textToImage', input: request.input };
}
