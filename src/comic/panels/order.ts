import { type Db, insertLastPanel, type Panel, type Prisma, type Tx } from '../../db/database.ts';
import { UserFacingError } from '../errors.ts';
import { checkPanelNumber } from './panelNumber.ts';
import { picturesOf } from '../storage/pictureFiles.ts';

/**
 * Panel numbers are 1…n in every project, unique and without gaps, whatever moves, deletes and new
 * panels race. Every change of numbering runs in one transaction that starts with {@link lockOrder}, so
 * those of one project take turns (in any process), and reads the numbers it works on after the lock.
 * `@@unique([projectId, number])` is checked row by row on both databases, so a shift first parks the
 * rows it moves on their negatives, then brings them back one place along: no two rows ever meet.
 */
export async function lockOrder(tx: Tx, projectId: string): Promise<void> {
	// A write to the project row: its row lock on PostgreSQL, the database write lock on SQLite.
	const { count } = await tx.project.updateMany({ where: { id: projectId }, data: { orderVersion: { increment: 1 } } });
	if (count === 0) throw new UserFacingError('That project no longer exists.');
}

/** The number a new panel takes, read after {@link lockOrder} in the transaction that creates it. */
export async function nextPanelNumber(tx: Tx, projectId: string): Promise<number> {
	await lockOrder(tx, projectId);
	const last = await tx.panel.findFirst({ where: { projectId }, orderBy: { number: 'desc' }, select: { number: true } });
	return (last?.number ?? 0) + 1;
}

/**
 * Stores a new panel as the project's last, after {@link lockOrder}, in the transaction that creates it:
 * two statements (the lock, then the insert that reads the number itself) instead of three.
 */
export async function createLastPanel(tx: Tx, panel: Parameters<typeof insertLastPanel>[1], now: number): Promise<Panel> {
	await lockOrder(tx, panel.projectId);
	return insertLastPanel(tx, panel, new Date(now));
}

export interface Moved {
	readonly panelId: string;
	readonly from: number;
	readonly to: number;
	readonly count: number;
}

/** Moves panel `from` to position `to` (clamped to the last); the panels between shift by one. */
export async function movePanel(db: Db, projectId: string, from: number, to: number): Promise<Moved> {
	checkPanelNumber(from);
	return db.$transaction(async (tx) => {
		await lockOrder(tx, projectId);
		const count = await tx.panel.count({ where: { projectId } });
		const panel = await tx.panel.findUnique({ where: { projectId_number: { projectId, number: from } }, select: { id: true } });
		if (!panel) throw noSuchPanel(from, count);
		if (to < 1) throw new UserFacingError('Panels are numbered from 1: choose a position of 1 or more.');
		const target = Math.min(to, count);
		if (target !== from) {
			const [low, high] = from < target ? [from, target] : [target, from];
			// The panels between move one place towards the gap the moved panel leaves.
			const delta = from < target ? -1 : 1;
			await tx.panel.updateMany({ where: { projectId, number: { gte: low, lte: high } }, data: { number: { multiply: -1 } } });
			await tx.$executeRaw`UPDATE "Panel" SET "number" = ${delta} - "number" WHERE "projectId" = ${projectId} AND "number" < 0 AND "id" <> ${panel.id}`;
			await tx.panel.update({ where: { id: panel.id }, data: { number: target } });
		}
		return { panelId: panel.id, from, to: target, count };
	});
}

export interface Removed {
	readonly number: number;
	/** Panels after it, which moved up one. */
	readonly shifted: number;
	/** Workflows of the panel still being drawn: the caller cancels them (they would spend Buzz unseen). */
	readonly unfinished: readonly { readonly drawingId: string; readonly workflowId: string; readonly paidBy: string; readonly ownerId: string }[];
	/** The picture files of its takes: the caller removes them now that the delete has committed. */
	readonly files: readonly string[];
}

/**
 * Deletes a panel with its drawings and takes (the schema cascades) and closes the gap: the panels
 * after it move up one. Undefined when the panel is already gone (a second confirmation).
 */
export async function removePanel(db: Db, projectId: string, panelId: string): Promise<Removed | undefined> {
	return db.$transaction(async (tx) => {
		await lockOrder(tx, projectId);
		const panel = await tx.panel.findFirst({ where: { id: panelId, projectId }, select: { number: true } });
		if (!panel) return undefined;
		// Written before they are read: a submission's outcome stored now waits for this transaction and then
		// finds no row (its workflow is canceled by the job's `lost` hook), or it came first and is read here.
		await lockUnfinished(tx, { panelId });
		const drawings = await tx.drawing.findMany({
			where: { panelId, status: { in: ['queued', 'generating'] }, workflowId: { not: null } },
			select: { id: true, workflowId: true, paidBy: true, ownerId: true },
		});
		const files = await picturesOf(tx, { panelId });
		await tx.panel.delete({ where: { id: panelId } });
		const { count } = await tx.panel.updateMany({ where: { projectId, number: { gt: panel.number } }, data: { number: { multiply: -1 } } });
		await tx.$executeRaw`UPDATE "Panel" SET "number" = -1 - "number" WHERE "projectId" = ${projectId} AND "number" < 0`;
		const unfinished = drawings.flatMap(({ id, workflowId, paidBy, ownerId }) => (workflowId ? [{ drawingId: id, workflowId, paidBy, ownerId }] : []));
		return { number: panel.number, shifted: count, unfinished, files };
	});
}

/**
 * Takes the row locks of drawings that may be being submitted (PostgreSQL; on SQLite the transaction
 * holds the database's write lock already), so no workflow id is stored between reading them and
 * deleting them (../generation/orphanedWorkflow.ts). The write itself means nothing: the rows are deleted.
 */
export async function lockUnfinished(tx: Tx, where: Prisma.DrawingWhereInput): Promise<void> {
	await tx.drawing.updateMany({ where: { ...where, status: { in: ['queued', 'generating'] } }, data: { cancelRequestedAt: new Date() } });
}

export function noSuchPanel(number: number, count: number): UserFacingError {
	if (count === 0) return new UserFacingError('This project has no panels yet. Draw one with `/comic panel`.');
	return new UserFacingError(`There is no panel ${number}: this project has panels 1 to ${count}.`);
}
