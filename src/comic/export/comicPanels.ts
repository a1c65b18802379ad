import type { Orchestrator } from '../../civitai/orchestrator.ts';
import type { Db } from '../../db/database.ts';
import type { ImageStore } from '../../images/imageStore.ts';
import { type NumberedPanel, sizeOf } from '../../images/index.ts';
import type { Log } from '../../log.ts';
import { ensureImage } from '../generation/images.ts';
import { takeImageName } from '../generation/keepTakes.ts';
import { pictureToShow } from '../lettering/pictureToShow.ts';
import type { PanelRange } from './range.ts';

export interface ComicDeps {
	readonly db: Db;
	readonly images: ImageStore;
	readonly orchestrator: Orchestrator;
	readonly log: Log;
}

export interface ComicPanels {
	/** The ready panels in project order: their chosen takes, lettered, read from disk when needed. */
	readonly ready: readonly NumberedPanel[];
	/** Numbers of the panels in the range without a picture to show (queued, being drawn, failed). */
	readonly notReady: readonly number[];
}

/**
 * The pictures of a project's panels as an export or the reader shows them: each panel's chosen take
 * with its words lettered (lettered once and kept). A picture kept by another host is fetched again from
 * its workflow. Only sizes are held here; the pictures are loaded one at a time by the assembly.
 */
export async function comicPanels(deps: ComicDeps, projectId: string, range?: PanelRange): Promise<ComicPanels> {
	const panels = await deps.db.panel.findMany({
		where: { projectId, ...(range ? { number: { gte: range.from, lte: range.to } } : {}) },
		orderBy: { number: 'asc' },
		select: {
			id: true,
			number: true,
			caption: true,
			dialogue: true,
			takes: {
				where: { chosen: true },
				take: 1,
				select: { id: true, index: true, imagePath: true, imageMime: true, letteredPath: true, drawingId: true, workflowId: true },
			},
		},
	});
	const ready: NumberedPanel[] = [];
	const notReady: number[] = [];
	for (const panel of panels) {
		const [take] = panel.takes;
		if (!take) {
			notReady.push(panel.number);
			continue;
		}
		try {
			await ensureImage(deps, { ...take, name: takeImageName(take.drawingId, take.index) });
			const picture = await pictureToShow(deps, take, panel);
			const size = await sizeOf(await deps.images.read(picture.imagePath));
			ready.push({ number: panel.number, image: () => deps.images.read(picture.imagePath), ...size });
		} catch (error) {
			deps.log.warn({ err: error, panelId: panel.id }, 'a ready panel has no picture on this machine and it could not be fetched again');
			notReady.push(panel.number);
		}
	}
	return { ready, notReady };
}
