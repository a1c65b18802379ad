import type { Db, Tx } from '../../db/database.ts';
import { isUniqueViolation } from '../projects.ts';

export interface KeptTake {
	readonly index: number;
	readonly imagePath: string;
	readonly imageMime: string;
	readonly imageSize: number;
	readonly seed: number | null;
	/** Shown only in age-restricted channels (./safety.ts). */
	readonly mature: boolean;
	readonly width: number | null;
	readonly height: number | null;
}

/**
 * Stores a drawing's takes and makes its first one the panel's picture, in two statements. Run again
 * after a crash (or by a second process that took the drawing over) it changes nothing twice: takes are
 * keyed by drawing and position, and their files by the same names. No transaction: on the embedded
 * database one held across statements would make every other writer wait on the file lock; in this
 * order a reader sees at most a moment with no chosen take, never two.
 */
export async function saveTakes(db: Db, drawing: { drawingId: string; panelId: string; workflowId: string }, takes: readonly KeptTake[]): Promise<void> {
	await db.take.updateMany({ where: { panelId: drawing.panelId, chosen: true, drawingId: { not: drawing.drawingId } }, data: { chosen: false } });
	try {
		await db.take.createMany({ data: takes.map((take) => ({ ...drawing, ...take, chosen: take.index === 1 })) });
	} catch (error) {
		// An earlier run stored them already (its outcome was not): the rows and their files are the same.
		if (!isUniqueViolation(error)) throw error;
	}
}

/** The takes of a drawing, in order. */
export function takesOf(db: Db, drawingId: string) {
	return db.take.findMany({
		where: { drawingId },
		orderBy: { index: 'asc' },
		select: { id: true, index: true, imagePath: true, imageMime: true, letteredPath: true, seed: true, chosen: true, mature: true },
	});
}

/** What showing a panel's picture needs of its chosen take: its files, size, safety, and who paid (to fetch it again). */
export const CHOSEN_TAKE_SELECT = {
	id: true,
	index: true,
	imagePath: true,
	imageMime: true,
	letteredPath: true,
	drawingId: true,
	workflowId: true,
	mature: true,
	width: true,
	height: true,
	drawing: { select: { ownerId: true, paidBy: true } },
} as const;

/** The panel's picture: its chosen take. */
export function chosenTake(db: Db, panelId: string) {
	return db.take.findFirst({ where: { panelId, chosen: true }, select: CHOSEN_TAKE_SELECT });
}

export type ChooseResult = { readonly chosen: true } | { readonly chosen: false; readonly reason: 'already' | 'missing' };

/**
 * Use N: makes take `index` of a drawing the panel's picture, in one transaction; a second press, or a
 * press on a take that is gone, changes nothing and says why.
 */
export async function chooseTake(db: Db, drawing: { id: string; panelId: string }, index: number): Promise<ChooseResult> {
	return db.$transaction(async (tx) => {
		const take = await tx.take.findUnique({ where: { drawingId_index: { drawingId: drawing.id, index } }, select: { id: true, chosen: true } });
		if (!take) return { chosen: false, reason: 'missing' } as const;
		if (take.chosen) return { chosen: false, reason: 'already' } as const;
		await makeChosen(tx, drawing.panelId, take.id);
		return { chosen: true } as const;
	});
}

export type HistoryChoice = { readonly chosen: true; readonly drawingId: string } | { readonly chosen: false; readonly reason: 'already' | 'missing' };

/**
 * History's Use: any take of the panel, of any of its drawings, becomes its picture again, in one
 * transaction. A take that is gone, or that is mature where mature pictures may not be shown, is
 * `missing`; the answer names the drawing the take belongs to (its message is shown again).
 */
export async function chooseTakeOfPanel(db: Db, panelId: string, takeId: string, allowMature: boolean): Promise<HistoryChoice> {
	return db.$transaction(async (tx) => {
		const take = await tx.take.findFirst({ where: { id: takeId, panelId }, select: { id: true, chosen: true, mature: true, drawingId: true } });
		if (!take || (take.mature && !allowMature)) return { chosen: false, reason: 'missing' } as const;
		if (take.chosen) return { chosen: false, reason: 'already' } as const;
		await makeChosen(tx, panelId, take.id);
		return { chosen: true, drawingId: take.drawingId } as const;
	});
}

/** Exactly one take of a panel is chosen: the others are unmarked first, in the caller's transaction. */
async function makeChosen(tx: Tx, panelId: string, takeId: string): Promise<void> {
	await tx.take.updateMany({ where: { panelId, chosen: true }, data: { chosen: false } });
	await tx.take.update({ where: { id: takeId }, data: { chosen: true } });
}
