import { type Orchestrator, type WorkflowImage, workflowImages } from '../../civitai/orchestrator.ts';
import type { ImageStore } from '../../images/imageStore.ts';
import { type Size, sizeOf } from '../../images/index.ts';
import { HttpError } from '../../net/httpError.ts';
import type { Picture } from '../generation/deps.ts';
import type { PanelWords } from '../lettering/words.ts';
import { type LetteringDeps, pictureToShow } from './lettered.ts';
import type { Payer } from './payer.ts';
import { takesOf } from './takes.ts';

/** Downloads at once; an expired signed URL (403) is refreshed through the blob API and tried again. */
export async function downloadImage(
	client: Pick<Orchestrator, 'download' | 'refreshImageUrl'>,
	image: WorkflowImage,
): Promise<{ data: Buffer; contentType: string }> {
	if (!image.url) throw new HttpError('ImageDownload', 'GET', '(no url)', 404, 'no image url', undefined);
	try {
		return await client.download(image.url);
	} catch (error) {
		if (!(error instanceof HttpError) || (error.status !== 403 && error.status !== 404 && error.status !== 410)) throw error;
		const fresh = await client.refreshImageUrl(image.id);
		return client.download(fresh);
	}
}

/** The file name of a take's picture: the first take keeps the drawing's id, as pictures were named before takes. */
export function takeImageName(drawingId: string, index: number): string {
	return index === 1 ? drawingId : `${drawingId}-${index}`;
}

/** A take as fetching its picture again needs it. */
export interface TakeOnDisk {
	readonly drawingId: string;
	readonly index: number;
	readonly imagePath: string;
	readonly imageMime: string;
	readonly workflowId: string;
}

/**
 * Makes sure a take's picture is on this machine's disk before it is shown. Processes on several
 * hosts share the database but not DATA_DIR: when the process that downloaded a picture is not the
 * one showing it (its first delivery failed, it crashed), the picture is fetched again from the
 * workflow (a fresh signed URL when the old one expired) with the client of the drawing's `payer`
 * (./payer.ts): another key does not see the workflow.
 */
export async function ensureImage(payer: Payer, images: ImageStore, take: TakeOnDisk): Promise<void> {
	if (await images.has(take.imagePath)) return;
	const image = workflowImages(await payer.orchestrator.get(take.workflowId))[take.index - 1];
	if (!image) throw new Error("the workflow no longer has the take's picture");
	const { data, contentType } = await downloadImage(payer.orchestrator, image);
	const saved = await images.save(takeImageName(take.drawingId, take.index), data, take.imageMime ?? contentType);
	if (saved !== take.imagePath) throw new Error('the picture came back in another format');
}

/** A take of the drawing as showing it needs (`takesOf`). */
type TakeToShow = Awaited<ReturnType<typeof takesOf>>[number];

/**
 * The pictures a drawing's message shows: each take, fetched again with the drawing's payer's client
 * when this host lacks it, with the panel's words lettered on it (the plain picture is kept).
 * Throws when a take cannot be had.
 */
export async function picturesToShow(
	deps: LetteringDeps,
	payer: Payer,
	drawing: { id: string; workflowId: string | null },
	words: PanelWords,
	read?: readonly TakeToShow[],
): Promise<Picture[]> {
	// The takes read already with the rest of a delivery (src/db/deliveryReads.ts), else read here.
	const takes = read ?? (await takesOf(deps.db, drawing.id));
	const workflowId = drawing.workflowId;
	if (takes.length === 0 || !workflowId) throw new Error('a ready drawing without its takes');
	const pictures: Picture[] = [];
	for (const take of takes) {
		await ensureImage(payer, deps.images, { ...take, drawingId: drawing.id, workflowId });
		const shown = await pictureToShow(deps, take, words);
		pictures.push({ index: take.index, chosen: take.chosen, ...shown });
	}
	return pictures;
}

/**
 * A take's size, from its row; a take kept before sizes were stored is measured from its file once
 * (`ensure` puts the file on this disk first) and the size kept on its row. Lettering keeps the size.
 */
export async function takeSize(
	deps: LetteringDeps,
	take: { readonly id: string; readonly imagePath: string; readonly width: number | null; readonly height: number | null },
	ensure: () => Promise<void>,
): Promise<Size> {
	if (take.width !== null && take.height !== null) return { width: take.width, height: take.height };
	await ensure();
	const size = await sizeOf(await deps.images.read(take.imagePath));
	await deps.db.take.updateMany({ where: { id: take.id }, data: { width: size.width, height: size.height } });
	return size;
}
