import { randomInt } from 'node:crypto';
import { trainedWordsOf } from '../characters.ts';
import { UserFacingError } from '../errors.ts';
import { fallbackPrompt } from '../prompt.ts';
import type { DrawingSubject } from './drawingSubject.ts';
import type { GenerationDeps } from './deps.ts';
import { generationInput } from './generationInput.ts';
import { type DrawingOutcome, fail } from './outcome.ts';

export const REWRITE_TIMED_OUT = 'The prompt rewrite took too long, so it was skipped and your prompt was used as written.';
export const REWRITE_FAILED = 'The prompt rewrite failed, so it was skipped and your prompt was used as written.';

/**
 * Builds the prompt (rewritten by the LLM when asked and possible; else the trained words, then
 * the user's prompt) and the workflow input, and stores both so that a resubmission is identical.
 */
export async function preparePrompt(deps: GenerationDeps, drawing: DrawingSubject): Promise<DrawingOutcome> {
	const character = drawing.character;
	if (!character) return fail('The character of this panel was removed before it could be drawn.');
	const words = trainedWordsOf(character);
	const typed = drawing.prompt ?? drawing.panel.prompt;
	let prompt = fallbackPrompt(words, typed);
	let enhanceNote: string | null = null;
	if (drawing.panel.enhance && deps.rewriter) {
		const rewritten = await deps.rewriter.rewrite(typed, words);
		if (rewritten.ok) prompt = rewritten.prompt;
		else {
			enhanceNote = rewritten.reason === 'timeout' ? REWRITE_TIMED_OUT : REWRITE_FAILED;
			deps.log.warn({ reason: rewritten.reason, err: rewritten.error }, 'prompt rewrite skipped');
		}
	}
	try {
		const params = generationInput(character, prompt, randomInt(0, 2_147_483_647), drawing.panel.takeCount);
		return { update: { finalPrompt: params.prompt, params: { ...params }, enhanceNote }, next: 'now' };
	} catch (error) {
		if (error instanceof UserFacingError) return fail(error.message);
		throw error;
	}
}
