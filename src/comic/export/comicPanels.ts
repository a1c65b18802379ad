import type { Db } from '../../db/database.ts';
import type { ImageStore } from '../../images/imageStore.ts';
import type { NumberedPanel } from '../../images/index.ts';
import type { Log } from '../../log.ts';
import { pictureToShow } from '../takes/lettered.ts';
import { type PayerDeps, payersOf } from '../takes/payer.ts';
import { ensureImage, takeSize } from '../takes/pictures.ts';
import { mayShowHere } from '../takes/safety.ts';
import { CHOSEN_TAKE_SELECT } from '../takes/takes.ts';
import type { RenderSlots } from './renderSlots.ts';
import type { PanelRange } from './range.ts';

export interface ComicDeps extends PayerDeps {
	readonly db: Db;
	readonly images: ImageStore;
	readonly log: Log;
	/** The process-wide bound on renders and exports; unbounded when left out. */
	readonly renders?: RenderSlots | undefined;
}

export interface ComicPanelsOptions {
	readonly range?: PanelRange | undefined;
	/** Where the pictures will be shown: mature pictures only in age-restricted channels (DMs are not). */
	readonly ageRestricted: boolean;
	/**
	 * `now`: every picture is made ready (fetched, lettered) before this returns, and one that cannot be
	 * is counted as not ready (exports). `when-drawn`: only sizes are read here, from the takes' rows;
	 * a picture is fetched and lettered when the assembly loads it (the reader renders one page).
	 */
	readonly prepare: 'now' | 'when-drawn';
}

export interface ComicPanels {
	/** The ready panels in project order: their chosen takes, lettered, read from disk when needed. */
	readonly ready: readonly NumberedPanel[];
	/** Numbers of the panels in the range without a picture to show (queued, being drawn, failed). */
	readonly notReady: readonly number[];
	/** Numbers of the ready panels left out because their picture may be mature and the channel is not age-restricted. */
	readonly withheld: readonly number[];
}

/**
 * The pictures of a project's panels as an export or the reader shows them: each panel's chosen take
 * with its words lettered (lettered once and kept), leaving out mature pictures outside age-restricted
 * channels. A picture kept by another host is fetched again from its workflow with the key of the
 * drawing's payer. Sizes come from the takes' rows (measured once for takes kept before sizes were
 * stored); the pictures are loaded one at a time by the assembly.
 */
export async function comicPanels(deps: ComicDeps, projectId: string, options: ComicPanelsOptions): Promise<ComicPanels> {
	const { range } = options;
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
				select: CHOSEN_TAKE_SELECT,
			},
		},
	});
	const payerOf = payersOf(deps);
	const ready: NumberedPanel[] = [];
	const notReady: number[] = [];
	const withheld: number[] = [];
	for (const panel of panels) {
		const [take] = panel.takes;
		if (!take) {
			notReady.push(panel.number);
			continue;
		}
		if (!mayShowHere(take, options.ageRestricted)) {
			withheld.push(panel.number);
			continue;
		}
		const ensure = async () => ensureImage(await payerOf(take.drawing), deps.images, take);
		const show = async () => {
			await ensure();
			return (await pictureToShow(deps, take, panel)).imagePath;
		};
		try {
			const size = await takeSize(deps, take, ensure);
			if (options.prepare === 'now') {
				const path = await show();
				ready.push({ number: panel.number, image: () => deps.images.read(path), ...size });
			} else {
				ready.push({ number: panel.number, image: async () => deps.images.read(await show()), ...size });
			}
		} catch (error) {
			deps.log.warn({ err: error, panelId: panel.id }, 'a ready panel has no picture on this machine and it could not be fetched again');
			notReady.push(panel.number);
		}
	}
	return { ready, notReady, withheld };
}
