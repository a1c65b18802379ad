import { randomInt } from 'node:crypto';
import { textToImageInputSchema } from '../../civitai/orchestrator.ts';
import { Prisma, type Panel } from '../../db/generated/postgres/client.ts';
import { trainedWordsOf } from '../characters.ts';
import { UserFacingError } from '../errors.ts';
import { fallbackPrompt } from '../prompt.ts';
import { estimatedCompletion } from './checkWorkflow.ts';
import { submissionRefusal, unavailableReason, USER_KEY_REJECTED } from './failures.ts';
import { generationInput } from './generationInput.ts';
import { fail, isKnownHttpError, retryOrFail, type Outcome } from './outcome.ts';
import type { PanelDeps } from './panelDeps.ts';

export type PanelToPrepare = Panel & { character: { air: string; baseModel: string; trainedWords: unknown } | null };

export const REWRITE_TIMED_OUT = 'The prompt rewrite took too long, so it was skipped and your prompt was used as written.';
export const REWRITE_FAILED = 'The prompt rewrite failed, so it was skipped and your prompt was used as written.';

/**
 * Builds the prompt (rewritten by the LLM when asked and possible; else the trained words, then
 * the user's prompt) and the workflow input, and stores both so that a resubmission is identical.
 */
export async function preparePrompt(deps: PanelDeps, panel: PanelToPrepare): Promise<Outcome> {
	const character = panel.character;
	if (!character) return fail('The character of this panel was removed before it could be drawn.');
	const words = trainedWordsOf(character);
	let prompt = fallbackPrompt(words, panel.prompt);
	let enhanceNote: string | null = null;
	if (panel.enhance && deps.rewriter) {
		const rewritten = await deps.rewriter.rewrite(panel.prompt, words);
		if (rewritten.ok) prompt = rewritten.prompt;
		else {
			enhanceNote = rewritten.reason === 'timeout' ? REWRITE_TIMED_OUT : REWRITE_FAILED;
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

/** Submits the stored workflow input; refusals end the panel, passing trouble is tried again. */
export async function submit(deps: PanelDeps, panel: Panel, now: number): Promise<Outcome> {
	const input = textToImageInputSchema.safeParse(panel.params);
	if (!input.success) return { update: { params: Prisma.DbNull }, next: 'now' };
	try {
		const workflow = await deps.orchestrator.submit({
			// The stored parameters and the panel's id as idempotency key: a retry after a timeout or
			// a crash returns the workflow the first try may have created instead of paying twice.
			input: input.data,
			externalId: panel.id,
			tags: ['comics'],
			allowMatureContent: panel.allowMature,
			callbackUrl: deps.callbackUrlFor?.(panel.id),
		});
		deps.log.info({ workflowId: workflow.id, status: workflow.status }, 'workflow submitted');
		const submittedAt = panel.submittedAt?.getTime() ?? now;
		return {
			update: { status: 'generating', workflowId: workflow.id, submittedAt: new Date(submittedAt), checks: 0, errorCount: 0 },
			next: now + deps.schedule({ now, submittedAt, checks: 0, estimatedCompleteAt: estimatedCompletion(workflow) }),
			announce: true,
		};
	} catch (error) {
		if (!isKnownHttpError(error)) throw error;
		if (error.status === 401 && deps.paidBy === 'user') return fail(USER_KEY_REJECTED); // accounts: per-user key
		if (error.status === 401) deps.log.error({ err: error }, 'the orchestrator refused CIVITAI_API_TOKEN: set a valid Civitai API key');
		else deps.log.warn({ err: error, status: error.status, attempt: panel.errorCount + 1 }, 'submission failed');
		const refusal = submissionRefusal(error);
		if (refusal) return fail(refusal);
		return retryOrFail(deps, panel, now, error, unavailableReason(error));
	}
}
