import type { Db } from '../../db/database.ts';

export interface KeptTake {
	readonly index: number;
	readonly imagePath: string;
	readonly imageMime: string;
	readonly imageSize: number;
	readonly seed: number | null;
}

/**
 * Stores a drawing's takes and makes its first one the panel's picture, in one transaction. Run
 * again after a crash (or by a second process that took the drawing over) it changes nothing twice:
 * takes are keyed by drawing and position.
 */
export async function saveTakes(db: Db, drawing: { drawingId: string; panelId: string; workflowId: string }, takes: readonly KeptTake[]): Promise<void> {
	await db.$transaction([
		db.take.updateMany({ where: { panelId: drawing.panelId, chosen: true, drawingId: { not: drawing.drawingId } }, data: { chosen: false } }),
		...takes.map((take) =>
			db.take.upsert({
				where: { drawingId_index: { drawingId: drawing.drawingId, index: take.index } },
				create: { ...drawing, ...take, chosen: take.index === 1 },
				update: { imagePath: take.imagePath, imageMime: take.imageMime, imageSize: take.imageSize },
			}),
		),
	]);
}

/** The takes of a drawing, in order. */
export function takesOf(db: Db, drawingId: string) {
	return db.take.findMany({
		where: { drawingId },
		orderBy: { index: 'asc' },
		select: { id: true, index: true, imagePath: true, imageMime: true, seed: true, chosen: true },
	});
}

/** The panel's picture: its chosen take. */
export function chosenTake(db: Db, panelId: string) {
	return db.take.findFirst({
		where: { panelId, chosen: true },
		select: { id: true, index: true, imagePath: true, imageMime: true, drawingId: true, workflowId: true },
	});
}
