import { randomInt } from 'node:crypto';
import type { Prisma } from '../../db/database.ts';
import { DEFAULT_PICTURE_ENGINE, type Engine, ENGINES, isEngineName } from '../engines/engines.ts';
import { ReferenceRefusedError, referenceUrls } from '../engines/references.ts';
import { quote } from '../names.ts';
import { cutPrompt } from '../prompt.ts';
import type { GenerationDeps } from './deps.ts';
import type { DrawingSubject } from './drawingSubject.ts';
import type { Payer } from '../takes/payer.ts';
import { unavailableReason } from './failures.ts';
import { type DrawingOutcome, fail, isKnownHttpError, retryOrFail } from './outcome.ts';
import { REWRITE_FAILED, REWRITE_TIMED_OUT } from './rewriteNotes.ts';
import { TAKE_BLOB_SELECT, type TakeBlob, uploadTake } from './takeBlob.ts';

/** The edit engine of a Change: the project's engine when it is one (every engine of the table takes images), else nano-banana-2. */
export function changeEngine(projectEngine: string): Engine {
	return ENGINES[isEngineName(projectEngine) ? projectEngine : DEFAULT_PICTURE_ENGINE];
}

/** What the prompt rewrite is told for a Change: say the change, keep the rest of the picture. */
export const CHANGE_REWRITE_RULES =
	'Rewrite this as one short instruction for an image-editing model that receives the picture to change as image 1 and reference pictures of the characters after it: say only what must change, and say that everything not named (characters, their looks, poses, setting, framing, style) stays exactly as in image 1.';

/**
 * A Change (issue 21): the panel's chosen take as the first image, the panel's characters' reference
 * pictures after it, the instruction as the prompt; drawn by the edit engine, stored like any drawing
 * from pictures so that a resubmission is identical. LoRA panels too: the picture is the input. What
 * is uploaded is uploaded with the client of this drawing's `payer`.
 */
export async function prepareChange(deps: GenerationDeps, payer: Payer, drawing: DrawingSubject & { changeInstruction: string }): Promise<DrawingOutcome> {
	const engine = changeEngine(drawing.project.engine);
	const take = drawing.changeTakeId ? await deps.db.take.findUnique({ where: { id: drawing.changeTakeId }, select: TAKE_BLOB_SELECT }) : null;
	if (!take) return fail('The picture this change was asked for was deleted before it could be drawn, so nothing was drawn and no Buzz was spent.');
	let sent: TakeBlob;
	try {
		sent = await uploadTake(deps, payer, take);
	} catch (error) {
		if (!isKnownHttpError(error)) throw error;
		return retryOrFail(error, unavailableReason(error));
	}
	if ('unreadable' in sent) return fail("The panel's picture could not be read from storage, so the change was not drawn and no Buzz was spent.");
	if ('refused' in sent)
		return fail(
			sent.refused === 422
				? "Civitai's image store refused the panel's picture (its moderation would not keep it), so the change was not drawn and no Buzz was spent."
				: `Civitai's image store could not take the panel's picture (error ${sent.refused}: too large or not supported), so the change was not drawn and no Buzz was spent.`,
		);
	const pictureUrl = sent.url;
	let references: Awaited<ReturnType<typeof referenceUrls>>;
	try {
		references = await referenceUrls(
			deps,
			payer,
			drawing.characters.map((character) => character.id),
			engine.maxImages - 1,
			deps.now?.() ?? Date.now(),
		);
	} catch (error) {
		if (error instanceof ReferenceRefusedError) {
			const who = drawing.characters.find((character) => character.id === error.characterId)?.name ?? 'a character';
			return fail(
				`Civitai's image store refused a reference picture of **${quote(who)}** (error ${error.status}), so the change was not drawn and no Buzz was spent.`,
			);
		}
		if (!isKnownHttpError(error)) throw error;
		return retryOrFail(error, unavailableReason(error));
	}
	let prompt = cutPrompt(drawing.changeInstruction);
	let enhanceNote: string | null = null;
	if (drawing.panel.enhance && deps.rewriter) {
		const rewritten = await deps.rewriter.rewrite(drawing.changeInstruction, [], CHANGE_REWRITE_RULES);
		if (rewritten.ok) prompt = rewritten.prompt;
		else {
			enhanceNote = rewritten.reason === 'timeout' ? REWRITE_TIMED_OUT : REWRITE_FAILED;
			deps.log.warn({ reason: rewritten.reason, err: rewritten.error }, 'change rewrite skipped');
		}
	}
	prompt = prompt.slice(0, engine.maxPrompt);
	const images = [pictureUrl, ...references.flatMap((entry) => entry.urls)];
	const params = engine.input({ prompt, images, seed: randomInt(0, 2_147_483_647), takes: drawing.panel.takeCount });
	const stored: Prisma.InputJsonObject = JSON.parse(JSON.stringify(params));
	return { update: { finalPrompt: prompt, params: stored, enhanceNote, engine: engine.name }, next: 'now' };
}
