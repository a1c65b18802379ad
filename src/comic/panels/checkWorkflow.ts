import { firstImage, type Workflow } from '../../civitai/orchestrator.ts';
import type { Panel } from '../../db/generated/postgres/client.ts';
import { recordWorkflowSpend } from '../../accounts/spend.ts';
import { CONFIGURATION, TIMED_OUT, unavailableReason, USER_KEY_REJECTED, workflowEndReason } from './failures.ts';
import { fail, isKnownHttpError, retryOrFail, type Outcome } from './outcome.ts';
import { downloadImage, withheldReason } from './panelImage.ts';
import { PANEL_TIMEOUT_MS, type PanelDeps } from './panelDeps.ts';

/**
 * Reads the panel's workflow: keeps the picture when it succeeded, tells why when it ended
 * without one, and cancels it once it has run past the panel timeout.
 */
export async function check(deps: PanelDeps, panel: Panel, now: number): Promise<Outcome> {
	const workflowId = panel.workflowId;
	if (!workflowId) return fail('This panel lost track of its generation. Try again.');
	const submittedAt = panel.submittedAt?.getTime() ?? now;
	const overdue = now - submittedAt > PANEL_TIMEOUT_MS;
	let workflow: Workflow;
	try {
		workflow = await deps.orchestrator.get(workflowId);
	} catch (error) {
		if (!isKnownHttpError(error)) throw error;
		deps.log.warn({ err: error, status: error.status }, 'reading the workflow failed');
		if (overdue) return timeOut(deps, workflowId, now);
		if (error.status === 404) return fail("The generator no longer knows this panel's request. Try again.");
		if (error.status === 401 && deps.paidBy === 'user') return fail(USER_KEY_REJECTED); // accounts: per-user key
		if (error.status === 401) {
			deps.log.error({ err: error }, 'the orchestrator refused CIVITAI_API_TOKEN: set a valid Civitai API key');
			return fail(CONFIGURATION);
		}
		return retryOrFail(deps, panel, now, error, unavailableReason(error));
	}
	const checks = panel.checks + 1;
	switch (workflow.status) {
		case 'succeeded':
			return keepImage(deps, panel, workflow, now, checks);
		case 'failed':
		case 'expired':
		case 'canceled': {
			const reason = workflow.steps.flatMap((step) => step.jobs ?? []).find((job) => job.reason)?.reason;
			deps.log.info({ status: workflow.status, reason }, 'workflow ended without a picture');
			return fail(workflowEndReason(workflow.status, reason), { checks, completedAt: new Date(now) });
		}
		default: {
			// Read first, so a picture that arrived just in time is still kept.
			if (overdue) return timeOut(deps, workflowId, now, checks);
			const estimatedCompleteAt = estimatedCompletion(workflow);
			return { update: { checks, errorCount: 0 }, next: now + deps.schedule({ now, submittedAt, checks, estimatedCompleteAt }) };
		}
	}
}

/** Giving up on a workflow neither stops nor refunds it: cancel it, then tell the user. */
async function timeOut(deps: PanelDeps, workflowId: string, now: number, checks?: number): Promise<Outcome> {
	try {
		await deps.orchestrator.cancel(workflowId);
		deps.log.info('timed-out workflow canceled');
	} catch (error) {
		deps.log.warn({ err: error }, 'could not cancel a timed-out workflow');
	}
	return fail(TIMED_OUT, { completedAt: new Date(now), ...(checks === undefined ? {} : { checks }) });
}

async function keepImage(deps: PanelDeps, panel: Panel, workflow: Workflow, now: number, checks: number): Promise<Outcome> {
	const image = firstImage(workflow);
	const withheld = image && withheldReason(image, panel.allowMature);
	if (withheld) {
		deps.log.info({ nsfwLevel: image.nsfwLevel, blockedReason: image.blockedReason }, 'image withheld');
		return fail(withheld, { checks, completedAt: new Date(now) });
	}
	if (!image || image.available === false || !image.url) {
		// A URL can appear before its file exists: look again shortly, within the usual bound.
		return retryOrFail(deps, panel, now, undefined, 'The generator finished but never made the picture available. Try again.', { checks });
	}
	try {
		const { data, contentType } = await downloadImage(deps.orchestrator, image);
		const imagePath = await deps.images.save(panel.id, data, contentType);
		await recordWorkflowSpend(deps, panel, workflow); // accounts: spend
		deps.log.info({ bytes: data.length }, 'image kept');
		return {
			update: { status: 'ready', imagePath, imageMime: contentType, imageSize: data.length, completedAt: new Date(now), checks, errorCount: 0 },
			next: 'now',
		};
	} catch (error) {
		if (!isKnownHttpError(error)) throw error;
		deps.log.warn({ err: error, status: error.status }, 'image download failed');
		if (error.status === 413) return fail('The picture was drawn, but it is too large to post here.', { checks, completedAt: new Date(now) });
		// The next try reads the workflow again, which hands out fresh signed URLs.
		return retryOrFail(deps, panel, now, error, 'The picture was drawn, but downloading it from the generator kept failing. Try again.', { checks });
	}
}

export function estimatedCompletion(workflow: Workflow): number | undefined {
	const completeAt = workflow.steps.flatMap((step) => step.jobs ?? []).find((job) => job.queuePosition?.completeAt)?.queuePosition?.completeAt;
	const time = completeAt ? Date.parse(completeAt) : Number.NaN;
	return Number.isNaN(time) ? undefined : time;
}
