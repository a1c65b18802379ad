import type { Db } from '../../db/database.ts';

/**
 * Stores at once that a drawing's interaction token is dead. Not left to the step's outcome: a crash
 * before that is stored must not make the next attempt call the dead token again.
 */
export async function markTokenDead(db: Db, drawingId: string): Promise<void> {
	await db.drawing.updateMany({ where: { id: drawingId, tokenDead: false }, data: { tokenDead: true } });
}
