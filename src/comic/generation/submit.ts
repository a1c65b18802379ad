import { textToImageInputSchema } from '../../civitai/orchestrator.ts';
import { Prisma } from '../../db/database.ts';
import { estimatedCompletion } from './check.ts';
import type { GenerationDeps } from './deps.ts';
import type { DrawingSubject } from './drawingSubject.ts';
import { submissionRefusal, unavailableReason, USER_KEY_REJECTED } from './failures.ts';
import { type DrawingOutcome, fail, isKnownHttpError, retryOrFail } from './outcome.ts';
import { progressText } from './progress.ts';
import { cancelWorkflow } from '../cancelWorkflow.ts';
import { CANCELED_WITH_STORY, storyCanceled } from '../stories/cancelStory.ts';
import { keepWorkflowId } from './keepWorkflow.ts';

/** Submits the stored workflow input; refusals end the drawing, passing trouble is tried again. */
export async function submit(deps: GenerationDeps, drawing: DrawingSubject, now: number): Promise<DrawingOutcome> {
	const input = textToImageInputSchema.safeParse(drawing.params);
	if (!input.success) return { update: { params: Prisma.DbNull }, next: 'now' };
	try {
		const workflow = await deps.orchestrator.submit({
			// The stored parameters and the drawing's id as idempotency key: a retry after a timeout or
			// a crash returns the workflow the first try may have created instead of paying twice.
			input: input.data,
			externalId: drawing.id,
			tags: ['comics'],
			allowMatureContent: drawing.panel.allowMature,
			callbackUrl: deps.callbackUrlFor?.(drawing.id),
		});
		deps.log.info({ workflowId: workflow.id, status: workflow.status }, 'workflow submitted');
		const halfDone = await submittedTooLate(deps, drawing, workflow.id);
		if (halfDone) return halfDone;
		const submittedAt = drawing.submittedAt?.getTime() ?? now;
		return {
			update: {
				status: 'generating',
				workflowId: workflow.id,
				submittedAt: new Date(submittedAt),
				checks: 0,
				// The announcement below is the first progress edit.
				progressText: progressText(workflow, now),
				progressShownAt: new Date(now),
				progressEdits: drawing.progressEdits + 1,
			},
			next: now + deps.schedule({ now, submittedAt, checks: 0, estimatedCompleteAt: estimatedCompletion(workflow) }),
			announce: true,
		};
	} catch (error) {
		if (!isKnownHttpError(error)) throw error;
		if (error.status === 401 && deps.paidBy === 'user') return fail(USER_KEY_REJECTED); // accounts: per-user key
		if (error.status === 401) deps.log.error({ err: error }, 'the orchestrator refused CIVITAI_API_TOKEN: set a valid Civitai API key');
		else deps.log.warn({ err: error, status: error.status, attempt: drawing.errorCount + 1 }, 'submission failed');
		const refusal = submissionRefusal(error);
		if (refusal) return fail(refusal);
		return retryOrFail(error, unavailableReason(error));
	}
}

/**
 * The half-done states of a submission: while the orchestrator was answering, the drawing's panel (or
 * project) was deleted, or its story canceled, and whoever did that could not know this workflow. It
 * is canceled here with the key that submitted it (the step runs with the payer's client), so nothing
 * runs billed and unseen. Undefined when the drawing goes on.
 */
async function submittedTooLate(deps: GenerationDeps, drawing: DrawingSubject, workflowId: string): Promise<DrawingOutcome | undefined> {
	const kept = await keepWorkflowId(deps.db, drawing, workflowId);
	const canceledStory = kept && (await storyCanceled(deps.db, drawing.panel.storyId));
	if (kept && !canceledStory) return undefined;
	deps.log.info(
		{ workflowId, rowGone: !kept },
		kept ? 'its story was canceled during the submission: canceling the workflow' : 'the drawing was deleted during its submission: canceling the workflow',
	);
	await cancelWorkflow({ db: deps.db, orchestrator: deps.orchestrator, log: deps.log }, workflowId, drawing.paidBy).catch((error: unknown) =>
		deps.log.warn({ err: error, workflowId }, 'could not cancel the workflow of a drawing deleted or canceled during its submission'),
	);
	// A row gone stores nothing (the runner finds no lease); a canceled story's panel fails with its reason.
	return fail(CANCELED_WITH_STORY, { workflowId });
}
