import { drawingJobs } from '../../db/database.ts';
import { HttpError } from '../../net/httpError.ts';
import { type CancelDeps, cancelWorkflow } from '../cancelWorkflow.ts';
import { CANCELED_BEFORE_SUBMISSION } from './failures.ts';

export type CancelResult =
	| { readonly canceled: true }
	| { readonly canceled: false; readonly reason: 'finished' | 'already' | 'refused'; readonly status?: number | undefined };

/**
 * The owner's Cancel. Stored first (`cancelRequestedAt`), so the drawing's steps stop it even when the
 * workflow is being submitted this very moment; then the orchestrator is told and the drawing made due,
 * so its message shows it canceled. A refused cancel is taken back: the drawing goes on as before.
 */
export async function cancelDrawing(deps: CancelDeps, drawingId: string, now = Date.now()): Promise<CancelResult> {
	const row = await deps.db.drawing.findUnique({ where: { id: drawingId }, select: { status: true, cancelRequestedAt: true } });
	if (!row || row.status === 'ready' || row.status === 'failed') return { canceled: false, reason: 'finished' };
	if (row.cancelRequestedAt) return { canceled: false, reason: 'already' };
	if (row.status === 'waiting') {
		// Waiting in the owner's queue: it holds no slot and was never submitted, so it fails at once and
		// is made due for its message to show it. A promotion at this very moment wins (status no longer `waiting`).
		const { count: dropped } = await deps.db.drawing.updateMany({
			where: { id: drawingId, status: 'waiting' },
			data: { status: 'failed', failureReason: CANCELED_BEFORE_SUBMISSION, cancelRequestedAt: new Date(now) },
		});
		if (dropped > 0) {
			await drawingJobs(deps.db).makeDue(drawingId, new Date(now));
			deps.log.info({ drawingId }, 'waiting drawing canceled by its owner');
			return { canceled: true };
		}
	}
	const { count } = await deps.db.drawing.updateMany({
		where: { id: drawingId, status: { in: ['queued', 'generating'] }, cancelRequestedAt: null },
		data: { cancelRequestedAt: new Date(now) },
	});
	if (count === 0) return { canceled: false, reason: 'already' };
	// Read after storing the request: a workflow submitted before it is known here, one submitted after is canceled by the check step.
	const { workflowId, paidBy, ownerId } = (await deps.db.drawing.findUnique({
		where: { id: drawingId },
		select: { workflowId: true, paidBy: true, ownerId: true },
	})) ?? {
		workflowId: null,
		paidBy: 'bot',
		ownerId: undefined,
	};
	if (workflowId) {
		try {
			await cancelWorkflow(deps, workflowId, paidBy, ownerId);
		} catch (error) {
			deps.log.warn({ err: error, drawingId, workflowId }, 'the orchestrator refused to cancel a workflow');
			await deps.db.drawing.updateMany({ where: { id: drawingId }, data: { cancelRequestedAt: null } });
			return { canceled: false, reason: 'refused', status: error instanceof HttpError ? error.status : undefined };
		}
	}
	await drawingJobs(deps.db).makeDueUnfinished(drawingId, new Date(now));
	deps.log.info({ drawingId, workflowId }, 'drawing canceled by its owner');
	return { canceled: true };
}
