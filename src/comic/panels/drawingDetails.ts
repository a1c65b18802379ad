import { imageGenInputSchema, textToImageInputSchema } from '../../civitai/orchestrator.ts';
import type { Db } from '../../db/database.ts';
import { takesOf } from '../takes/takes.ts';
import { castOf, type OwnDrawing, typedPrompt } from '../drawings/ownDrawing.ts';

/** Everything Details shows about one drawing: what was typed, what was sent, and what it cost. */
export async function drawingDetails(db: Db, drawing: OwnDrawing) {
	// A panel drawn from pictures stores its engine's input (it names its `engine`); any other, the textToImage form (every family).
	const fromPictures = typeof drawing.params === 'object' && drawing.params !== null && 'engine' in drawing.params;
	const parsed = fromPictures ? undefined : textToImageInputSchema.safeParse(drawing.params);
	const params = parsed?.success ? parsed.data : undefined;
	const pictured = fromPictures ? imageGenInputSchema.safeParse(drawing.params) : undefined;
	const imageGen = pictured?.success ? pictured.data : undefined;
	const number = (value: unknown) => (typeof value === 'number' ? value : null);
	const text = (value: unknown) => (typeof value === 'string' ? value : null);
	const takes = await takesOf(db, drawing.id);
	const follows = await followOf(db, drawing);
	return {
		projectName: drawing.panel.project.name,
		number: drawing.panel.number,
		status: drawing.status,
		typed: typedPrompt(drawing),
		/** A Change's instruction (the panel's picture redrawn by an edit engine), else null. */
		change: drawing.changeInstruction,
		characters: castOf(drawing).map(({ name, strength }) => ({ name, strength })),
		sent: drawing.finalPrompt ?? params?.prompt ?? imageGen?.prompt ?? null,
		negativePrompt: params?.negativePrompt ?? null,
		seed: params?.seed ?? number(imageGen?.seed),
		checkpoint: params?.model ?? null,
		engine: drawing.engine ?? (params ? 'checkpoint' : null),
		engineModel: imageGen ? [text(imageGen.engine), text(imageGen.model) ?? text(imageGen.version)].filter(Boolean).join(' ') : null,
		// A Change's first image is the panel's picture, not a character's reference.
		references: Math.max(0, (imageGen?.images?.length ?? 0) - (drawing.changeInstruction === null ? 0 : 1) - (follows?.used ? 1 : 0)),
		/** The panel whose picture this drawing followed (`follow:`, or a story's previous panel), and whether it was sent. */
		follows,
		estimatedBuzz: drawing.estimatedBuzz,
		loras: Object.entries(params?.additionalNetworks ?? {}).map(([air, { strength }]) => ({ air, strength })),
		size: params
			? { width: params.width, height: params.height }
			: number(imageGen?.width) !== null
				? { width: number(imageGen?.width) ?? 0, height: number(imageGen?.height) ?? 0 }
				: text(imageGen?.aspectRatio),
		steps: params?.steps ?? null,
		cfgScale: params?.cfgScale ?? null,
		scheduler: params?.scheduler ?? null,
		workflowId: drawing.workflowId,
		takeCount: params?.quantity ?? number(imageGen?.numImages) ?? number(imageGen?.quantity) ?? drawing.panel.takeCount,
		takes: takes.map(({ index, seed, chosen }) => ({ index, seed, chosen })),
		cost: drawing.cost,
	};
}

export type DrawingDetails = Awaited<ReturnType<typeof drawingDetails>>;

/**
 * The picture a drawing followed: the take it sent (after the characters' references), or the panel
 * `follow:` named when its picture was not sent (the drawing is not prepared yet, or its way of drawing
 * took no picture then: docs/decisions/028-follow.md).
 */
async function followOf(
	db: Db,
	drawing: {
		readonly followTakeId: string | null;
		readonly params: unknown;
		readonly changeInstruction: string | null;
		readonly panel: { readonly followPanelId: string | null };
	},
): Promise<{ number: number; take: number | null; used: boolean; prepared: boolean } | null> {
	// A Change edits the panel's own picture: the followed panel plays no part in it.
	if (drawing.changeInstruction !== null) return null;
	const prepared = drawing.params !== null;
	if (drawing.followTakeId) {
		const take = await db.take.findUnique({ where: { id: drawing.followTakeId }, select: { index: true, panel: { select: { number: true } } } });
		// The followed panel (or its take) was deleted since: it was still sent.
		return take ? { number: take.panel.number, take: take.index, used: true, prepared } : { number: 0, take: null, used: true, prepared };
	}
	if (!drawing.panel.followPanelId) return null;
	const panel = await db.panel.findUnique({ where: { id: drawing.panel.followPanelId }, select: { number: true } });
	return panel ? { number: panel.number, take: null, used: false, prepared } : null;
}
