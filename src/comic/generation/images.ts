import { type Orchestrator, type WorkflowImage, workflowImages } from '../../civitai/orchestrator.ts';
import type { ImageStore } from '../../images/imageStore.ts';
import { HttpError } from '../../net/httpError.ts';

export const WITHHELD =
	'The picture was drawn, but it was withheld because it may be mature content and this channel is not age-restricted. Age-restricted channels show such pictures.';
export const BLOCKED = "The picture was drawn, but it was withheld because Civitai's moderation blocked it. Try a different prompt.";

const SAFE_LEVELS = new Set(['pg', 'pg13']);

/**
 * Why an image must not be posted, or undefined when it may be. Outside age-restricted channels
 * only PG and PG-13 images are posted. A blocked image is posted nowhere: Civitai's moderation
 * blocks what no channel may show, so an age-restricted channel does not make it acceptable.
 */
export function withheldReason(image: WorkflowImage, allowMature: boolean): string | undefined {
	if (image.blockedReason) return BLOCKED;
	if (allowMature) return undefined;
	// No level at all is let through: the workflow was submitted without mature content allowed,
	// so the orchestrator itself keeps such an image within bounds (or blocks it).
	const level = image.nsfwLevel?.toLowerCase();
	return level === undefined || SAFE_LEVELS.has(level) ? undefined : WITHHELD;
}

/** Downloads at once; an expired signed URL (403) is refreshed through the blob API and tried again. */
export async function downloadImage(orchestrator: Orchestrator, image: WorkflowImage): Promise<{ data: Buffer; contentType: string }> {
	if (!image.url) throw new HttpError('ImageDownload', 'GET', '(no url)', 404, 'no image url', undefined);
	try {
		return await orchestrator.download(image.url);
	} catch (error) {
		if (!(error instanceof HttpError) || (error.status !== 403 && error.status !== 404 && error.status !== 410)) throw error;
		const fresh = await orchestrator.refreshImageUrl(image.id);
		return orchestrator.download(fresh);
	}
}

/**
 * Makes sure a take's picture is on this machine's disk before it is shown. Processes on several
 * hosts share the database but not DATA_DIR: when the process that downloaded a picture is not the
 * one delivering it (its first delivery failed, it crashed), the picture is fetched again from the
 * workflow (a fresh signed URL when the old one expired).
 */
export async function ensureImage(
	payer: Orchestrator,
	images: ImageStore,
	take: { name: string; index: number; imagePath: string; imageMime: string; workflowId: string },
): Promise<void> {
	if (await images.has(take.imagePath)) return;
	// `payer`: the client of the drawing's fixed payer (./drawingPayer.ts); another key does not see the workflow.
	const image = workflowImages(await payer.get(take.workflowId))[take.index - 1];
	if (!image) throw new Error("the workflow no longer has the take's picture");
	const { data, contentType } = await downloadImage(payer, image);
	const saved = await images.save(take.name, data, take.imageMime ?? contentType);
	if (saved !== take.imagePath) throw new Error('the picture came back in another format');
}
