import type { Orchestrator } from '../../civitai/orchestrator.ts';
import { pictureToShow } from '../lettering/pictureToShow.ts';
import type { PanelWords } from '../lettering/words.ts';
import type { GenerationDeps, Picture } from './deps.ts';
import { ensureImage } from './images.ts';
import { takeImageName } from './keepTakes.ts';
import { takesOf } from './takes.ts';

/**
 * The pictures a drawing's message shows: each take, fetched again with the drawing's payer's client
 * (`payer`) when this host lacks it, with the panel's words lettered on it (the plain picture is kept).
 * Throws when a take cannot be had.
 */
export async function picturesToShow(
	deps: GenerationDeps,
	payer: Orchestrator,
	drawing: { id: string; workflowId: string | null },
	words: PanelWords,
): Promise<Picture[]> {
	const takes = await takesOf(deps.db, drawing.id);
	const workflowId = drawing.workflowId;
	if (takes.length === 0 || !workflowId) throw new Error('a ready drawing without its takes');
	const pictures: Picture[] = [];
	for (const take of takes) {
		await ensureImage(payer, deps.images, {
			name: takeImageName(drawing.id, take.index),
			index: take.index,
			imagePath: take.imagePath,
			imageMime: take.imageMime,
			workflowId,
		});
		const shown = await pictureToShow(deps, take, words);
		pictures.push({ index: take.index, chosen: take.chosen, ...shown });
	}
	return pictures;
}

/** The Buzz spent on a panel: the sum over its drawings. */
export async function panelCost(deps: Pick<GenerationDeps, 'db'>, panelId: string): Promise<number | null> {
	const spent = await deps.db.drawing.aggregate({ where: { panelId }, _sum: { cost: true } });
	return spent._sum.cost;
}
