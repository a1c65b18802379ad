import { randomInt } from 'node:crypto';
import { firstImage, textToImageInputSchema, type Workflow } from '../../civitai/orchestrator.ts';
import { Prisma, type Panel } from '../../db/generated/postgres/client.ts';
import { HttpError } from '../../net/httpError.ts';
import { backoffMs } from '../../poller/schedule.ts';
import { trainedWordsOf } from '../characters.ts';
import { UserFacingError } from '../errors.ts';
import { fallbackPrompt } from '../prompt.ts';
import { submissionRefusal, TIMED_OUT, unavailableReason, workflowEndReason } from './failures.ts';
import { generationInput } from './generationInput.ts';
import { downloadImage, isWithheld, WITHHELD } from './panelImage.ts';
import { LEASE_MS, MAX_ATTEMPTS, PANEL_TIMEOUT_MS, type PanelDeps, type PanelView } from './panelDeps.ts';

type PanelUpdate = Prisma.PanelUncheckedUpdateManyInput;

/** What one step of a panel's life decided: the row update, and when to look at the panel next. */
interface Outcome {
	readonly update: PanelUpdate;
	/** `now`: keep the claim and take the next step at once; null: nothing more to do. */
	readonly next: 'now' | number | null;
	/** Show the new state in the panel's message once the update is stored. */
	readonly announce?: boolean;
}

const include = { project: { select: { name: true } }, character: { select: { name: true, baseModel: true, air: true, trainedWords: true } } } as const;

/**
 * Moves a claimed panel on as far as it can go now: submit, read the workflow, keep the image,
 * tell Discord. Each step's outcome is stored before the next starts, and only while this caller
 * still holds the claim, so a crash at any point leaves a row another poller can finish.
 */
export async function advancePanel(deps: PanelDeps, panelId: string, leaseOwner: string): Promise<void> {
	const now = deps.now ?? Date.now;
	for (let steps = 0; steps < 6; steps++) {
		const panel = await deps.db.panel.findFirst({ where: { id: panelId, leaseOwner }, include });
		if (!panel) return;
		const log = deps.log.child({ panelId, workflowId: panel.workflowId ?? undefined, interactionId: panel.interactionId });
		let outcome: Outcome;
		try {
			outcome = await step({ ...deps, log }, panel, now());
		} catch (error) {
			// Unexpected: keep the panel, try again later, and give up after a bound like any other error.
			log.error({ err: error }, 'panel step failed unexpectedly');
			outcome = retryOrFail(panel, now(), error, 'Something went wrong on the bot\'s side while drawing this panel. Try again.');
		}
		const keep = outcome.next === 'now';
		const nextCheckAt = outcome.next === null ? null : new Date(keep ? now() : (outcome.next as number));
		const { count } = await deps.db.panel.updateMany({
			where: { id: panelId, leaseOwner },
			data: { ...outcome.update, nextCheckAt, ...(keep ? { leaseUntil: new Date(now() + LEASE_MS) } : { leaseOwner: null, leaseUntil: null }) },
		});
		if (count === 0) {
			log.warn('lost the claim on a panel; another poller owns it now');
			return;
		}
		if (outcome.announce) await announce(deps, panelId);
		if (!keep) return;
	}
}

async function step(deps: PanelDeps, panel: PanelView & { character: { air: string; trainedWords: unknown } | null }, now: number): Promise<Outcome> {
	if (panel.status === 'queued') {
		if (!panel.params) return preparePrompt(deps, panel);
		return submit(deps, panel, now);
	}
	if (panel.status === 'generating') return check(deps, panel, now);
	if (panel.delivery === 'pending') return deliver(deps, panel, now);
	return { update: {}, next: null };
}

async function preparePrompt(deps: PanelDeps, panel: Panel & { character: { air: string; baseModel: string; trainedWords: unknown } | null }): Promise<Outcome> {
	const character = panel.character;
	if (!character) return fail('The character of this panel was removed before it could be drawn.');
	const words = trainedWordsOf(character);
	let prompt = fallbackPrompt(words, panel.prompt);
	let enhanceNote: string | null = null;
	if (panel.enhance && deps.rewriter) {
		const rewritten = await deps.rewriter.rewrite(panel.prompt, words);
		if (rewritten.ok) prompt = rewritten.prompt;
		else {
			enhanceNote = rewritten.reason === 'timeout' ? 'The prompt rewrite took too long, so it was skipped.' : 'The prompt rewrite failed, so it was skipped.';
			deps.log.warn({ reason: rewritten.reason, err: rewritten.error }, 'prompt rewrite skipped');
		}
	}
	try {
		const params = generationInput(character, prompt, randomInt(0, 2_147_483_647));
		return { update: { finalPrompt: params.prompt, params: { ...params }, enhanceNote }, next: 'now' };
	} catch (error) {
		if (error instanceof UserFacingError) return fail(error.message);
		throw error;
	}
}

async function submit(deps: PanelDeps, panel: Panel, now: number): Promise<Outcome> {
	const input = textToImageInputSchema.safeParse(panel.params);
	if (!input.success) return { update: { params: Prisma.DbNull }, next: 'now' };
	try {
		const workflow = await deps.orchestrator.submit({
			// The stored parameters, so a resubmission after a crash is the same request.
			input: input.data,
			externalId: panel.id,
			tags: ['comics'],
			allowMatureContent: panel.allowMature,
			callbackUrl: deps.callbackUrl,
		});
		deps.log.info({ workflowId: workflow.id, status: workflow.status }, 'workflow submitted');
		const submittedAt = panel.submittedAt?.getTime() ?? now;
		return {
			update: { status: 'generating', workflowId: workflow.id, submittedAt: new Date(submittedAt), checks: 0, errorCount: 0 },
			next: now + deps.schedule({ now, submittedAt, checks: 0, estimatedCompleteAt: estimatedCompletion(workflow) }),
			announce: true,
		};
	} catch (error) {
		if (!(error instanceof HttpError)) throw error;
		const refusal = submissionRefusal(error);
		if (error.status === 401) deps.log.error({ err: error }, 'the orchestrator refused CIVITAI_API_TOKEN: set a valid Civitai API key');
		else deps.log.warn({ err: error, status: error.status }, 'submission failed');
		if (refusal) return fail(refusal);
		return retryOrFail(panel, now, error, unavailableReason(error));
	}
}

async function check(deps: PanelDeps, panel: Panel, now: number): Promise<Outcome> {
	const workflowId = panel.workflowId;
	if (!workflowId) return fail('This panel lost track of its generation. Try again.');
	const submittedAt = panel.submittedAt?.getTime() ?? now;
	if (now - submittedAt > PANEL_TIMEOUT_MS) {
		await deps.orchestrator.cancel(workflowId).catch((error: unknown) => deps.log.warn({ err: error }, 'could not cancel a timed-out workflow'));
		return fail(TIMED_OUT);
	}
	let workflow: Workflow;
	try {
		workflow = await deps.orchestrator.get(workflowId);
	} catch (error) {
		if (!(error instanceof HttpError)) throw error;
		deps.log.warn({ err: error, status: error.status }, 'reading the workflow failed');
		if (error.status === 404) return fail('The generator no longer knows this panel\'s request. Try again.');
		return retryOrFail(panel, now, error, unavailableReason(error));
	}
	const checks = panel.checks + 1;
	switch (workflow.status) {
		case 'succeeded':
			return keepImage(deps, panel, workflow, now, checks);
		case 'failed':
		case 'expired':
		case 'canceled': {
			const reason = workflow.steps.flatMap((step) => step.jobs ?? []).find((job) => job.reason)?.reason;
			return fail(workflowEndReason(workflow.status, reason), { checks, completedAt: new Date(now) });
		}
		default:
			return { update: { checks, errorCount: 0 }, next: now + deps.schedule({ now, submittedAt, checks, estimatedCompleteAt: estimatedCompletion(workflow) }) };
	}
}

async function keepImage(deps: PanelDeps, panel: Panel, workflow: Workflow, now: number, checks: number): Promise<Outcome> {
	const image = firstImage(workflow);
	if (!image || image.available === false || !image.url) {
		// A URL can appear before its file exists: look again shortly, within the usual bound.
		if (panel.errorCount + 1 >= MAX_ATTEMPTS) return fail('The generator finished but never made the picture available. Try again.', { checks });
		return { update: { checks, errorCount: { increment: 1 } }, next: now + 1_000 };
	}
	if (!panel.allowMature && isWithheld(image)) return fail(WITHHELD, { checks, completedAt: new Date(now) });
	try {
		const { data, contentType } = await downloadImage(deps.orchestrator, image);
		const imagePath = await deps.images.save(panel.id, data, contentType);
		deps.log.info({ bytes: data.length }, 'image kept');
		return { update: { status: 'ready', imagePath, imageMime: contentType, imageSize: data.length, completedAt: new Date(now), checks, errorCount: 0 }, next: 'now' };
	} catch (error) {
		if (!(error instanceof HttpError)) throw error;
		deps.log.warn({ err: error, status: error.status }, 'image download failed');
		return retryOrFail(panel, now, error, 'The picture was drawn, but downloading it from the generator kept failing. Try again.', { checks });
	}
}

async function deliver(deps: PanelDeps, panel: PanelView, now: number): Promise<Outcome> {
	const result = await deps.messenger(panel);
	const tokenDead = result.tokenDead || panel.tokenDead;
	if (result.ok) {
		deps.log.info({ messageId: result.messageId }, 'panel delivered');
		return { update: { delivery: 'delivered', deliveredAt: new Date(now), messageId: result.messageId ?? panel.messageId, tokenDead, errorCount: 0, deliveryError: null }, next: null };
	}
	deps.log.warn({ reason: result.reason, retryable: result.retryable }, 'panel delivery failed');
	if (!result.retryable || panel.errorCount + 1 >= MAX_ATTEMPTS) return { update: { delivery: 'undelivered', deliveryError: result.reason, tokenDead }, next: null };
	const wait = Math.max(result.retryAfterMs ?? 0, backoffMs(panel.errorCount));
	return { update: { errorCount: { increment: 1 }, deliveryError: result.reason, tokenDead }, next: now + wait };
}

/** Shows "being drawn" after a submission; a failure here changes nothing, the final edit matters. */
async function announce(deps: PanelDeps, panelId: string): Promise<void> {
	const panel = await deps.db.panel.findUnique({ where: { id: panelId }, include });
	if (!panel) return;
	const result = await deps.messenger(panel).catch((error: unknown) => ({ ok: false as const, retryable: false, reason: String(error), tokenDead: false }));
	if (!result.ok) deps.log.warn({ panelId, reason: result.reason }, 'could not show the panel as being drawn');
	if (result.tokenDead && !panel.tokenDead) await deps.db.panel.update({ where: { id: panelId }, data: { tokenDead: true } });
}

function fail(reason: string, extra: PanelUpdate = {}): Outcome {
	return { update: { ...extra, status: 'failed', failureReason: reason, errorCount: 0 }, next: 'now' };
}

function retryOrFail(panel: Panel, now: number, error: unknown, finalReason: string, extra: PanelUpdate = {}): Outcome {
	if (panel.errorCount + 1 >= MAX_ATTEMPTS) return fail(finalReason, extra);
	const retryAfter = error instanceof HttpError ? (error.retryAfterMs ?? 0) : 0;
	return { update: { ...extra, errorCount: { increment: 1 } }, next: now + Math.max(retryAfter, backoffMs(panel.errorCount)) };
}

function estimatedCompletion(workflow: Workflow): number | undefined {
	const completeAt = workflow.steps.flatMap((step) => step.jobs ?? []).find((job) => job.queuePosition?.completeAt)?.queuePosition?.completeAt;
	const time = completeAt ? Date.parse(completeAt) : Number.NaN;
	return Number.isNaN(time) ? undefined : time;
}
