import { randomInt } from 'node:crypto';
import { trainedWordsOf } from '../characters.ts';
import { rewriteContext } from './rewriteContext.ts';
import { UserFacingError } from '../errors.ts';
import { findMentions } from '../panels/mentions.ts';
import { fallbackPrompt } from '../prompt.ts';
import { chooseWay, type Way } from '../engines/chooseWay.ts';
import { CHECKPOINT } from '../engines/engines.ts';
import { pictureCounts } from '../pictures/pictureCharacters.ts';
import type { GenerationDeps } from './deps.ts';
import { prepareChange } from './prepareChange.ts';
import { preparePictures } from './preparePictures.ts';
import type { DrawingSubject } from './drawingSubject.ts';
import type { Payer } from '../takes/payer.ts';
import { generationInput } from './generationInput.ts';
import { type DrawingOutcome, fail } from './outcome.ts';

import { REWRITE_FAILED, REWRITE_TIMED_OUT } from './rewriteNotes.ts';

export { REWRITE_FAILED, REWRITE_TIMED_OUT };

/**
 * Builds the prompt (rewritten by the LLM when asked and possible, told the comic around the panel;
 * else every character's trigger words, then the user's prompt) and the workflow input, and stores
 * both so that a resubmission is identical. Pictures a drawing sends (references, a Change's picture)
 * are uploaded with the client of its `payer`.
 */
export async function preparePrompt(deps: GenerationDeps, payer: Payer, drawing: DrawingSubject): Promise<DrawingOutcome> {
	const characters = drawing.characters;
	if (characters.length === 0) return fail('The character of this panel was removed before it could be drawn.');
	// A Change draws the panel's picture with an edit engine, whatever way the panel was first drawn.
	const { changeInstruction } = drawing;
	if (changeInstruction !== null) return prepareChange(deps, payer, { ...drawing, changeInstruction });
	// The way of drawing is decided again here: characters and the project's engine may have changed since the panel was asked for.
	let way: Way;
	try {
		way = await currentWay(deps, drawing);
	} catch (error) {
		if (error instanceof UserFacingError) return fail(error.message);
		throw error;
	}
	if (way.kind === 'pictures') return preparePictures(deps, payer, drawing, way.engine);
	const words = characters.flatMap((character) => trainedWordsOf(character));
	// The prompt as typed for this drawing (an Edit changes it); `@Name` reads as the name: the image model never sees the `@`.
	const text = findMentions(drawing.prompt ?? drawing.panel.prompt, characters).text;
	let prompt = fallbackPrompt(words, text);
	let enhanceNote: string | null = null;
	if (drawing.panel.enhance && deps.rewriter) {
		const context = await rewriteContext(deps, drawing);
		const rewritten = await deps.rewriter.rewrite(text, words, context);
		if (rewritten.ok) prompt = rewritten.prompt;
		else {
			enhanceNote = rewritten.reason === 'timeout' ? REWRITE_TIMED_OUT : REWRITE_FAILED;
			deps.log.warn({ reason: rewritten.reason, err: rewritten.error }, 'prompt rewrite skipped');
		}
	}
	try {
		const params = generationInput(characters, prompt, randomInt(0, 2_147_483_647), drawing.panel.takeCount);
		return { update: { finalPrompt: params.prompt, params: { ...params }, enhanceNote, engine: CHECKPOINT }, next: 'now' };
	} catch (error) {
		if (error instanceof UserFacingError) return fail(error.message);
		throw error;
	}
}

async function currentWay(deps: GenerationDeps, drawing: DrawingSubject): Promise<Way> {
	const { characters } = drawing;
	if (drawing.project.engine === 'auto' && characters.every((character) => character.lora)) return { kind: 'checkpoint' };
	const counts = await pictureCounts(
		deps.db,
		characters.map((character) => character.id),
	);
	return chooseWay(
		drawing.project.engine,
		characters.map((character) => ({ name: character.name, lora: character.lora, pictures: counts.get(character.id) ?? 0 })),
	);
}
