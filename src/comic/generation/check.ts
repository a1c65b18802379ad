import { correctUsage } from '../../accounts/ledger.ts';
import { recordWorkflowSpend } from '../../accounts/spend.ts';
import type { Workflow } from '../../civitai/orchestrator.ts';
import { keepTakes } from '../takes/keep.ts';
import type { Payer } from '../takes/payer.ts';
import type { GenerationDeps } from './deps.ts';
import { PANEL_TIMEOUT_MS } from './deps.ts';
import type { DrawingSubject } from './drawingSubject.ts';
import { CONFIGURATION, TIMED_OUT, unavailableReason, USER_KEY_REJECTED, workflowEndReason } from './failures.ts';
import { type DrawingOutcome, fail, isKnownHttpError, retryOrFail } from './outcome.ts';
import { progressEdit, progressText } from './progress.ts';

/**
 * Reads the drawing's workflow with its payer's client: keeps the pictures when it succeeded, tells
 * why when it ended without them, and cancels it once it has run past the panel timeout.
 */
export async function check(deps: GenerationDeps, payer: Payer, drawing: DrawingSubject, now: number): Promise<DrawingOutcome> {
	const workflowId = drawing.workflowId;
	if (!workflowId) return fail('This panel lost track of its generation. Try again.');
	const submittedAt = drawing.submittedAt?.getTime() ?? now;
	const overdue = now - submittedAt > PANEL_TIMEOUT_MS;
	let workflow: Workflow;
	try {
		workflow = await payer.orchestrator.get(workflowId);
	} catch (error) {
		if (!isKnownHttpError(error)) throw error;
		deps.log.warn({ err: error, status: error.status }, 'reading the workflow failed');
		if (overdue) return timeOut(deps, payer, workflowId, now);
		if (error.status === 404) return fail("The generator no longer knows this panel's request. Try again.");
		if (error.status === 401 && payer.paidBy === 'user') return fail(USER_KEY_REJECTED); // accounts: per-user key
		if (error.status === 401) {
			deps.log.error({ err: error }, 'the orchestrator refused CIVITAI_API_TOKEN: set a valid Civitai API key');
			return fail(CONFIGURATION);
		}
		return retryOrFail(error, unavailableReason(error));
	}
	const checks = drawing.checks + 1;
	const cost = workflow.cost?.total ?? drawing.cost;
	switch (workflow.status) {
		case 'succeeded':
			// accounts: spend (charged when the workflow succeeded, whether or not its pictures can be kept)
			await recordWorkflowSpend(
				deps.db,
				payer.paidBy,
				{ id: drawing.panelId, ownerId: drawing.ownerId, guildId: drawing.guildId },
				{ id: workflow.id, cost: { total: cost } },
			);
			// The limits ledger: what it cost replaces the estimate made at admission.
			await correctUsage(deps.db, drawing.id, cost ?? 0);
			return keepTakes(deps, payer, drawing, workflow, now, { checks, cost });
		case 'failed':
		case 'expired':
		case 'canceled': {
			const reason = workflow.steps.flatMap((step) => step.jobs ?? []).find((job) => job.reason)?.reason;
			deps.log.info({ status: workflow.status, reason }, 'workflow ended without a picture');
			// Ended without pictures: the orchestrator refunds the Buzz ("Generation failed — Buzz has been
			// refunded"), whatever cost.total says, so it no longer counts against the budgets.
			await correctUsage(deps.db, drawing.id, 0);
			return fail(workflowEndReason(workflow.status, reason), { checks, cost, completedAt: new Date(now) });
		}
		default: {
			// Read first, so a picture that arrived just in time is still kept.
			if (overdue) return timeOut(deps, payer, workflowId, now, checks);
			if (drawing.cancelRequestedAt) return canceledByOwner(deps, payer, workflowId, now, checks);
			const estimatedCompleteAt = estimatedCompletion(workflow);
			const next = now + deps.schedule({ now, submittedAt, checks, estimatedCompleteAt });
			const progress = deps.progressMessenger ? progressEdit(drawing, progressText(workflow, now), now) : undefined;
			return { update: { checks, cost, ...progress }, next, announce: progress !== undefined };
		}
	}
}

/** Giving up on a workflow neither stops nor refunds it: cancel it, then tell the user. */
async function timeOut(deps: GenerationDeps, payer: Payer, workflowId: string, now: number, checks?: number): Promise<DrawingOutcome> {
	try {
		await payer.orchestrator.cancel(workflowId);
		deps.log.info('timed-out workflow canceled');
	} catch (error) {
		deps.log.warn({ err: error }, 'could not cancel a timed-out workflow');
	}
	return fail(TIMED_OUT, { completedAt: new Date(now), ...(checks === undefined ? {} : { checks }) });
}

/** The owner pressed Cancel (the press told the orchestrator already; telling it again is harmless, and needed when the press came during the submission). */
async function canceledByOwner(deps: GenerationDeps, payer: Payer, workflowId: string, now: number, checks: number): Promise<DrawingOutcome> {
	await payer.orchestrator.cancel(workflowId).catch((error: unknown) => deps.log.warn({ err: error }, 'could not cancel the workflow again'));
	return fail(workflowEndReason('canceled'), { checks, completedAt: new Date(now) });
}

export function estimatedCompletion(workflow: Workflow): number | undefined {
	const completeAt = workflow.steps.flatMap((step) => step.jobs ?? []).find((job) => job.queuePosition?.completeAt)?.queuePosition?.completeAt;
	const time = completeAt ? Date.parse(completeAt) : Number.NaN;
	return Number.isNaN(time) ? undefined : time;
}
