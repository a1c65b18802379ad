import type { Db } from '../../db/database.ts';
import { type CancelDeps, cancelWorkflow } from '../cancelWorkflow.ts';
import { UserFacingError } from '../errors.ts';

export const CANCELED_WITH_STORY = 'Canceled with its story.';

/**
 * Cancels a story as a whole: a plan not yet drawn is simply dropped; a story being drawn has its
 * waiting panels dropped (they fail, and no slot is held), its running workflows canceled at the
 * orchestrator (their own step then reports them canceled) and its queued ones stopped before they
 * are submitted (the step reads the story's status; one whose submission is answered after this is
 * canceled by that step). Returns how many were affected; `already` when it was canceled before.
 *
 * The move to `canceled` is one conditional update from the status just read, as Draw all's move from
 * `planned` to `drawing` is: when both race, exactly one of the two updates finds the status it read.
 * A Cancel that loses to Draw all reads again and cancels the story being drawn; a Draw all that loses
 * to Cancel rolls back and creates nothing.
 */
export async function cancelStory(
	deps: CancelDeps,
	ownerId: string,
	storyId: string,
): Promise<{ wasDrawing: boolean; already: boolean; dropped: number; canceled: number } | undefined> {
	const story = await deps.db.storyPlan.findUnique({ where: { id: storyId }, select: { ownerId: true, status: true } });
	if (!story) return undefined;
	if (story.ownerId !== ownerId) throw new UserFacingError('Only the person who planned this story can cancel it.');
	let status = story.status;
	// Twice at most: planned → drawing is the only move another press can make under this one.
	for (let attempt = 0; status !== 'canceled'; attempt++) {
		const { count } = await deps.db.storyPlan.updateMany({ where: { id: storyId, status }, data: { status: 'canceled' } });
		if (count === 1) break;
		const current = await deps.db.storyPlan.findUnique({ where: { id: storyId }, select: { status: true } });
		if (!current) return undefined;
		if (current.status === 'canceled' || attempt > 2) return { wasDrawing: false, already: true, dropped: 0, canceled: 0 };
		status = current.status;
	}
	if (status === 'canceled') return { wasDrawing: false, already: true, dropped: 0, canceled: 0 };
	if (status === 'planned') return { wasDrawing: false, already: false, dropped: 0, canceled: 0 };
	const { count: dropped } = await deps.db.drawing.updateMany({
		where: { panel: { storyId }, status: 'waiting' },
		data: { status: 'failed', failureReason: CANCELED_WITH_STORY, delivery: 'delivered' },
	});
	// Queued with a workflow: submitted, its answer stored, its step not yet past it (./drawingJob.ts).
	const running = await deps.db.drawing.findMany({
		where: { panel: { storyId }, status: { in: ['queued', 'generating'] }, workflowId: { not: null } },
		select: { workflowId: true, paidBy: true },
	});
	// accounts: each workflow is canceled with the key that submitted it
	const results = await Promise.allSettled(running.map((drawing) => cancelWorkflow(deps, drawing.workflowId ?? '', drawing.paidBy)));
	for (const result of results) if (result.status === 'rejected') deps.log.warn({ err: result.reason, storyId }, 'could not cancel a workflow of a story');
	return { wasDrawing: true, already: false, dropped, canceled: running.length };
}

/** Whether a drawing's story was canceled (its panel is not drawn then). */
export async function storyCanceled(db: Db, storyId: string | null): Promise<boolean> {
	if (!storyId) return false;
	const story = await db.storyPlan.findUnique({ where: { id: storyId }, select: { status: true } });
	return story?.status === 'canceled';
}
