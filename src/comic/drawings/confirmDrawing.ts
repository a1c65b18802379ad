import { type Db, drawingJobs } from '../../db/database.ts';

/**
 * The owner pressed Draw: the drawing asked about is let through once (a second press, or a press after
 * Cancel, changes nothing) and made due, so a runner submits it.
 */
export async function confirmDrawing(db: Db, drawingId: string, now = Date.now()): Promise<'confirmed' | 'already' | 'gone'> {
	const { count } = await db.drawing.updateMany({
		where: { id: drawingId, status: 'queued', confirmAskedAt: { not: null }, confirmedAt: null, cancelRequestedAt: null },
		data: { confirmedAt: new Date(now) },
	});
	if (count > 0) {
		await drawingJobs(db).makeDueUnfinished(drawingId, new Date(now));
		return 'confirmed';
	}
	const row = await db.drawing.findUnique({ where: { id: drawingId }, select: { confirmedAt: true, status: true, cancelRequestedAt: true } });
	return row?.confirmedAt && !row.cancelRequestedAt && row.status !== 'failed' ? 'already' : 'gone';
}
