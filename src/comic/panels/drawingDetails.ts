import { textToImageInputSchema } from '../../civitai/orchestrator.ts';
import type { Db } from '../../db/database.ts';
import { takesOf } from '../generation/takes.ts';
import { castOf, type OwnDrawing, typedPrompt } from './ownDrawing.ts';

/** Everything Details shows about one drawing: what was typed, what was sent, and what it cost. */
export async function drawingDetails(db: Db, drawing: OwnDrawing) {
	const parsed = textToImageInputSchema.safeParse(drawing.params);
	const params = parsed.success ? parsed.data : undefined;
	const takes = await takesOf(db, drawing.id);
	return {
		projectName: drawing.panel.project.name,
		number: drawing.panel.number,
		status: drawing.status,
		typed: typedPrompt(drawing),
		characters: castOf(drawing).map(({ name, strength }) => ({ name, strength })),
		sent: drawing.finalPrompt ?? params?.prompt ?? null,
		negativePrompt: params?.negativePrompt ?? null,
		seed: params?.seed ?? null,
		checkpoint: params?.model ?? null,
		loras: Object.entries(params?.additionalNetworks ?? {}).map(([air, { strength }]) => ({ air, strength })),
		size: params ? { width: params.width, height: params.height } : null,
		steps: params?.steps ?? null,
		cfgScale: params?.cfgScale ?? null,
		scheduler: params?.scheduler ?? null,
		workflowId: drawing.workflowId,
		takeCount: params?.quantity ?? drawing.panel.takeCount,
		takes: takes.map(({ index, seed, chosen }) => ({ index, seed, chosen })),
		cost: drawing.cost,
	};
}

export type DrawingDetails = Awaited<ReturnType<typeof drawingDetails>>;
