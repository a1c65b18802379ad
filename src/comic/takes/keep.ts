import { type Workflow, workflowImages } from '../../civitai/orchestrator.ts';
import type { DrawingUpdate } from '../../db/database.ts';
import { ImageRefusedError } from '../../net/imageDownload.ts';
import { sizeOf } from '../../images/index.ts';
import type { GenerationDeps } from '../generation/deps.ts';
import type { DrawingSubject } from '../generation/drawingSubject.ts';
import { type DrawingOutcome, fail, isKnownHttpError, retryOrFail } from '../generation/outcome.ts';
import type { Payer } from './payer.ts';
import { downloadImage, takeImageName } from './pictures.ts';
import { isMaturePicture, withheldReason } from './safety.ts';
import { type KeptTake, saveTakes } from './takes.ts';

/**
 * A workflow succeeded: every picture is downloaded at once (their URLs expire within minutes) with the
 * client of the drawing's `payer`, kept on disk and stored as a take of the drawing, the first one
 * chosen as the panel's picture.
 */
export async function keepTakes(
	deps: Pick<GenerationDeps, 'db' | 'log' | 'images'>,
	payer: Payer,
	drawing: DrawingSubject,
	workflow: Workflow,
	now: number,
	seen: DrawingUpdate,
): Promise<DrawingOutcome> {
	const images = workflowImages(workflow);
	const ended = { ...seen, completedAt: new Date(now) };
	const withheld = images.map((image) => withheldReason(image, drawing.panel.allowMature)).find((reason) => reason !== undefined);
	if (withheld) {
		deps.log.info({ images: images.map((image) => ({ nsfwLevel: image.nsfwLevel, blockedReason: image.blockedReason })) }, 'image withheld');
		return fail(withheld, ended);
	}
	if (images.length === 0 || images.some((image) => image.available === false || !image.url)) {
		// A URL can appear before its file exists: look again shortly, within the usual bound.
		return retryOrFail(undefined, 'The generator finished but never made the picture available. Try again.', seen);
	}
	const workflowId = drawing.workflowId ?? workflow.id;
	const baseSeed = seedOf(drawing.params);
	const kept: KeptTake[] = [];
	// Stored on each take: where it may be shown (./safety.ts) and its size.
	const matureModel = drawing.character?.nsfw === true || drawing.characters.some((character) => character.nsfw);
	try {
		for (const [position, image] of images.entries()) {
			const index = position + 1;
			const { data, contentType } = await downloadImage(payer.orchestrator, image);
			const imagePath = await deps.images.save(takeImageName(drawing.id, index), data, contentType);
			const size = await sizeOf(data).catch(() => undefined);
			kept.push({
				index,
				imagePath,
				imageMime: contentType,
				imageSize: data.length,
				// The orchestrator draws a workflow's images from consecutive seeds.
				seed: baseSeed === null ? null : baseSeed + position,
				mature: isMaturePicture(image, drawing.panel.allowMature, matureModel),
				width: size?.width ?? null,
				height: size?.height ?? null,
			});
		}
	} catch (error) {
		// Refused for what it is (a foreign host, a redirect elsewhere, not a picture): trying again would bring the same.
		if (error instanceof ImageRefusedError) {
			deps.log.warn({ err: error }, 'image refused');
			return fail(error.reason, ended);
		}
		if (!isKnownHttpError(error)) throw error;
		deps.log.warn({ err: error, status: error.status }, 'image download failed');
		if (error.status === 413) return fail('The picture was drawn, but it is too large to post here.', ended);
		// The next try reads the workflow again, which hands out fresh signed URLs.
		return retryOrFail(error, 'The picture was drawn, but downloading it from the generator kept failing. Try again.', seen);
	}
	await saveTakes(deps.db, { drawingId: drawing.id, panelId: drawing.panel.id, workflowId }, kept);
	deps.log.info({ takes: kept.length, bytes: kept.reduce((sum, take) => sum + take.imageSize, 0) }, 'images kept');
	return { update: { ...ended, status: 'ready' }, next: 'now' };
}

function seedOf(params: unknown): number | null {
	if (typeof params !== 'object' || params === null || !('seed' in params)) return null;
	return typeof params.seed === 'number' ? params.seed : null;
}
