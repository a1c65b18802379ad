import type { Orchestrator, WorkflowImage } from '../../civitai/orchestrator.ts';
import { HttpError } from '../../net/httpError.ts';

export const WITHHELD = 'The picture was drawn, but it was withheld because it may be mature content and this channel is not age-restricted.';

const SAFE_LEVELS = new Set(['pg', 'pg13']);

/** Outside age-restricted channels only PG and PG-13 images are posted, and never a blocked one. */
export function isWithheld(image: WorkflowImage): boolean {
	if (image.blockedReason) return true;
	return image.nsfwLevel !== undefined && image.nsfwLevel !== null && !SAFE_LEVELS.has(image.nsfwLevel.toLowerCase());
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
