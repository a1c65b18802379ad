import { HttpError } from '../../net/httpError.ts';
import { type Payer, payerOf } from '../takes/payer.ts';
import { ensureImage } from '../takes/pictures.ts';
import type { GenerationDeps } from './deps.ts';
import { isKnownHttpError } from './outcome.ts';

/** What sending a take as an input picture needs of its row. */
export const TAKE_BLOB_SELECT = {
	id: true,
	drawingId: true,
	index: true,
	imagePath: true,
	imageMime: true,
	workflowId: true,
	mature: true,
	drawing: { select: { ownerId: true, paidBy: true } },
} as const;

export interface TakeToSend {
	readonly drawingId: string;
	readonly index: number;
	readonly imagePath: string;
	readonly imageMime: string;
	readonly workflowId: string;
	readonly drawing: { readonly ownerId: string; readonly paidBy: string };
}

/**
 * What became of a take sent to the blob store: its signed URL, or why it cannot be used. A failure that
 * may pass (the orchestrator unreachable, 429, 5xx) is thrown as the HttpError it is, for a retry.
 */
export type TakeBlob = { readonly url: string } | { readonly refused: number } | { readonly unreadable: true };

/**
 * A take of a panel as an input picture of an imageGen request (the first image of a Change; the
 * followed panel's picture after the characters' references). This host may lack the file (another
 * host kept it): it is fetched again from its workflow with the key that paid for that drawing (another
 * key does not see the workflow). Uploaded each time it is used: a take is not a character's kept
 * reference, and the upload is free. The upload is made with the client of `payer`, who pays for the drawing it goes into.
 */
export async function uploadTake(deps: GenerationDeps, payer: Payer, take: TakeToSend): Promise<TakeBlob> {
	let bytes: Buffer;
	try {
		await ensureImage(await payerOf(deps, take.drawing), deps.images, take);
		bytes = await deps.images.read(take.imagePath);
	} catch (error) {
		if (isKnownHttpError(error)) throw error;
		deps.log.warn({ err: error, drawingId: take.drawingId }, 'a take to send could not be read');
		return { unreadable: true };
	}
	// Takes are stored as the orchestrator returned them; anything else is sent as JPEG, as references are.
	const mime = take.imageMime === 'image/png' || take.imageMime === 'image/webp' ? take.imageMime : 'image/jpeg';
	try {
		return { url: (await payer.orchestrator.uploadBlob(bytes, mime)).url };
	} catch (error) {
		if (error instanceof HttpError && [400, 413, 415, 422].includes(error.status)) return { refused: error.status };
		throw error;
	}
}
