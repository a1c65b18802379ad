import { Prisma } from '../../db/database.ts';
import { drawingStep } from '../engines/drawingStep.ts';
import { estimatedCompletion } from './check.ts';
import type { GenerationDeps } from './deps.ts';
import type { DrawingSubject } from './drawingSubject.ts';
import { submissionRefusal, unavailableReason, USER_KEY_REJECTED } from './failures.ts';
import { type DrawingOutcome, fail, isKnownHttpError, retryOrFail } from './outcome.ts';
import { progressText } from './progress.ts';
import { CANCELED_WITH_STORY, storyCanceled } from '../stories/cancelStory.ts';
import type { Payer } from '../takes/payer.ts';

/** Submits the stored workflow input with the payer's client; refusals end the drawing, passing trouble is tried again. */
export async function submit(deps: GenerationDeps, payer: Payer, drawing: DrawingSubject, now: number): Promise<DrawingOutcome> {
	// textToImage, or imageGen: a family drawn by an engine, or a panel drawn from pictures (one place builds it).
	const step = drawingStep(drawing.params);
	if (!step) return { update: { params: Prisma.DbNull }, next: 'now' };
	try {
		const workflow = await payer.orchestrator.submit({
			// The stored parameters and the drawing's id as idempotency key: a retry after a timeout or
			// a crash returns the workflow the first try may have created instead of paying twice.
			step,
			externalId: drawing.id,
			tags: ['comics'],
			allowMatureContent: drawing.panel.allowMature,
			callbackUrl: deps.callbackUrlFor?.(drawing.id),
		});
		deps.log.info({ workflowId: workflow.id, status: workflow.status }, 'workflow submitted');
		const canceled = await storyCanceledMeanwhile(deps, payer, drawing, workflow.id);
		if (canceled) return canceled;
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
		if (error.status === 401 && payer.paidBy === 'user') return fail(USER_KEY_REJECTED); // accounts: per-user key
		if (error.status === 401) deps.log.error({ err: error }, 'the orchestrator refused CIVITAI_API_TOKEN: set a valid Civitai API key');
		else deps.log.warn({ err: error, status: error.status, attempt: drawing.errorCount + 1 }, 'submission failed');
		const refusal = submissionRefusal(error);
		if (refusal) return fail(refusal);
		return retryOrFail(error, unavailableReason(error));
	}
}

/**
 * A story canceled while its panel's workflow was being submitted: `cancelStory` could not know this
 * workflow, so it is canceled here with the key that submitted it (`payer`, the drawing's) and the
 * panel fails like its story's others. A drawing whose row was deleted meanwhile is
 * the drawing job's `lost` hook's (./orphanedWorkflow.ts): its outcome cannot be stored.
 */
async function storyCanceledMeanwhile(deps: GenerationDeps, payer: Payer, drawing: DrawingSubject, workflowId: string): Promise<DrawingOutcome | undefined> {
	if (!(await storyCanceled(deps.db, drawing.panel.storyId))) return undefined;
	deps.log.info({ workflowId }, 'its story was canceled during the submission: canceling the workflow');
	await payer.orchestrator
		.cancel(workflowId)
		.catch((error: unknown) => deps.log.warn({ err: error, workflowId }, 'could not cancel the workflow of a story canceled during its submission'));
	return fail(CANCELED_WITH_STORY, { workflowId });
}
