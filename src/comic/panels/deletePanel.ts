import type { Orchestrator } from '../../civitai/orchestrator.ts';
import type { Db } from '../../db/database.ts';
import type { Log } from '../../log.ts';
import { UserFacingError } from '../errors.ts';
import { findOwnDrawing } from './ownDrawing.ts';

/** Far below any panel number: renumbering passes through here so that no two panels ever share one. */
const ASIDE = 1_000_000_000;

export interface DeletedPanel {
	readonly number: number;
	readonly projectName: string;
	/** Panels after it, now one lower. */
	readonly moved: number;
	/** Settles once the orchestrator was told about the unfinished workflows; never rejects. */
	readonly canceled: Promise<void>;
}

/**
 * Takes the panel of a drawing out of its project (its drawings and takes go with it) and moves the
 * later panels up one, in one transaction. Numbers are unique per project, and a database checks that
 * row by row while one UPDATE runs, so the later panels are first moved aside (below zero), then back to
 * their new numbers. Unfinished workflows are canceled so they stop spending Buzz.
 */
export async function deletePanel(
	deps: {
		db: Db;
		orchestrator: Pick<Orchestrator, 'cancel'>;
		log: Log;
		/** accounts: the client of a drawing's payer (`Drawing.paidBy`), when it may not be the bot's. */
		cancelerFor?: ((paidBy: string) => Promise<Pick<Orchestrator, 'cancel'>>) | undefined;
	},
	ownerId: string,
	drawingId: string,
): Promise<DeletedPanel> {
	const { panel } = await findOwnDrawing(deps.db, ownerId, drawingId);
	const result = await deps.db.$transaction(async (tx) => {
		const unfinished = await tx.drawing.findMany({
			where: { panelId: panel.id, status: { in: ['queued', 'generating'] }, workflowId: { not: null } },
			select: { id: true, workflowId: true, paidBy: true },
		});
		// A second confirmation racing this one finds nothing to delete.
		const { count } = await tx.panel.deleteMany({ where: { id: panel.id, ownerId } });
		if (count === 0) return undefined;
		const later = { projectId: panel.projectId, number: { gt: panel.number } };
		const { count: moved } = await tx.panel.updateMany({ where: later, data: { number: { decrement: ASIDE } } });
		await tx.panel.updateMany({ where: { projectId: panel.projectId, number: { lt: 0 } }, data: { number: { increment: ASIDE - 1 } } });
		return { moved, unfinished };
	});
	if (!result) throw new UserFacingError('This panel was already deleted. Nothing was changed.');
	deps.log.info({ panelId: panel.id, projectId: panel.projectId, moved: result.moved, canceling: result.unfinished.length }, 'panel deleted');
	const canceled = Promise.allSettled(
		result.unfinished.map(async ({ id, workflowId, paidBy }) => {
			if (!workflowId) return;
			// accounts: canceled with the key that submitted it
			const orchestrator = (await deps.cancelerFor?.(paidBy)) ?? deps.orchestrator;
			await orchestrator.cancel(workflowId).catch((error: unknown) => {
				// The panel is gone either way; an uncanceled workflow only runs to its end unseen.
				deps.log.warn({ err: error, drawingId: id, workflowId }, 'could not cancel the workflow of a deleted panel');
			});
		}),
	).then(() => undefined);
	return { number: panel.number, projectName: panel.project.name, moved: result.moved, canceled };
}
