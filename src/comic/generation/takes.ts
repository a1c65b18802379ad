import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../projects.ts';

export interface KeptTake {
	readonly index: number;
	readonly imagePath: string;
	readonly imageMime: string;
	readonly imageSize: number;
	readonly seed: number | null;
	/** Shown only in age-restricted channels (./pictureSafety.ts). */
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
 * Makes take `index` of a drawing the panel's picture, in one transaction; a second press, or a
 * press on a take that is gone, changes nothing and says why.
 */
export async function chooseTake(db: Db, drawing: { id: string; panelId: string }, index: number): Promise<ChooseResult> {
	return db.$transaction(async (tx) => {
		const take = await tx.take.findUnique({ where: { drawingId_index: { drawingId: drawing.id, index } }, select: { id: true, chosen: true } });
		if (!take) return { chosen: false, reason: 'missing' } as const;
		if (take.chosen) return { chosen: false, reason: 'already' } as const;
		await tx.take.updateMany({ where: { panelId: drawing.panelId, chosen: true }, data: { chosen: false } });
		await tx.take.update({ where: { id: take.id }, data: { chosen: true } });
		return { chosen: true } as const;
	});
}
