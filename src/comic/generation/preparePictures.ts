import { randomInt } from 'node:crypto';
import type { Prisma } from '../../db/database.ts';
import { rewriteContext } from './rewriteContext.ts';
import type { Engine } from '../engines/engines.ts';
import { PICTURE_REWRITE_RULES, picturePrompt } from '../engines/picturePrompt.ts';
import { ReferenceRefusedError, referenceUrls } from '../engines/references.ts';
import { quote } from '../names.ts';
import { findMentions } from '../panels/mentions.ts';
import { cutPrompt } from '../prompt.ts';
import type { GenerationDeps } from './deps.ts';
import type { DrawingSubject } from './drawingSubject.ts';
import type { Payer } from '../takes/payer.ts';
import { unavailableReason } from './failures.ts';
import { type DrawingOutcome, fail, isKnownHttpError, retryOrFail } from './outcome.ts';
import { REWRITE_FAILED, REWRITE_TIMED_OUT } from './rewriteNotes.ts';
import { followFits, followSentence } from '../engines/follow.ts';
import { followReference, STORY_FOLLOW_RETRY_MS } from './followReference.ts';
import { type TakeBlob, uploadTake } from './takeBlob.ts';

/**
 * A panel drawn from pictures: the scene (rewritten when asked, told to leave the looks to the
 * pictures), the characters' reference pictures as signed blob URLs (uploaded or refreshed here), and
 * the engine's input built from its row of the table, all stored so that a resubmission is identical.
 * The references are made ready with the client of the drawing's `payer`.
 */
export async function preparePictures(deps: GenerationDeps, payer: Payer, drawing: DrawingSubject, engine: Engine): Promise<DrawingOutcome> {
	const characters = drawing.characters;
	const now = deps.now?.() ?? Date.now();
	// The followed panel's picture goes after the characters' references, when the engine has room for it
	// (checked at admission; the engine or the cast may have changed since: then it is drawn without it).
	const follow = followFits(engine, characters.length) ? await followReference(deps, drawing, now) : ({ kind: 'none' } as const);
	// A story panel whose previous panel is still being drawn waits for its picture (bounded).
	if (follow.kind === 'wait') return { next: now + STORY_FOLLOW_RETRY_MS };
	const text = findMentions(drawing.prompt ?? drawing.panel.prompt, characters).text;
	let scene = cutPrompt(text);
	let enhanceNote: string | null = null;
	if (drawing.panel.enhance && deps.rewriter) {
		const context = await rewriteContext(deps, drawing);
		const rewritten = await deps.rewriter.rewrite(text, [], `${context} ${PICTURE_REWRITE_RULES}`.trim());
		if (rewritten.ok) scene = rewritten.prompt;
		else {
			enhanceNote = rewritten.reason === 'timeout' ? REWRITE_TIMED_OUT : REWRITE_FAILED;
			deps.log.warn({ reason: rewritten.reason, err: rewritten.error }, 'prompt rewrite skipped');
		}
	}
	let references: Awaited<ReturnType<typeof referenceUrls>>;
	try {
		references = await referenceUrls(
			deps,
			payer,
			characters.map((character) => character.id),
			follow.kind === 'take' ? engine.maxImages - 1 : engine.maxImages,
			now,
		);
	} catch (error) {
		if (error instanceof ReferenceRefusedError) {
			const who = characters.find((character) => character.id === error.characterId)?.name ?? 'a character';
			return fail(
				error.status === 422
					? `Civitai's image store refused a reference picture of **${quote(who)}** (its moderation would not keep it), so this panel was not drawn and no Buzz was spent. Give the character other pictures with \`/comic character pictures\`.`
					: `Civitai's image store could not take a reference picture of **${quote(who)}** (error ${error.status}), so this panel was not drawn and no Buzz was spent. Give the character other pictures with \`/comic character pictures\`.`,
			);
		}
		if (!isKnownHttpError(error)) throw error;
		deps.log.warn({ err: error, status: error.status }, 'reference pictures could not be made ready');
		return retryOrFail(error, unavailableReason(error));
	}
	const named = characters.map((character, index) => ({
		name: character.name,
		description: character.description,
		count: references[index]?.urls.length ?? 0,
	}));
	const images = references.flatMap((entry) => entry.urls);
	let followed: { takeId: string; sentence: string } | undefined;
	if (follow.kind === 'take') {
		let sent: TakeBlob;
		try {
			sent = await uploadTake(deps, payer, follow.take);
		} catch (error) {
			if (!isKnownHttpError(error)) throw error;
			return retryOrFail(error, unavailableReason(error));
		}
		if ('url' in sent) {
			images.push(sent.url);
			followed = { takeId: follow.take.id, sentence: followSentence(images.length, follow.panelNumber) };
		} else if ('refused' in sent)
			return fail(
				`Civitai's image store refused the picture of panel ${follow.panelNumber}, which this panel follows (error ${sent.refused}${sent.refused === 422 ? ': its moderation would not keep it' : ''}), so this panel was not drawn and no Buzz was spent.`,
			);
		// A picture no host can read any more (its workflow is gone): drawn without it, as Details then shows.
		else deps.log.warn({ drawingId: drawing.id, takeId: follow.take.id }, 'the followed picture could not be read: drawn without it');
	}
	const prompt = picturePrompt(engine, named, followed ? `${followed.sentence} ${scene}` : scene);
	const params = engine.input({ prompt, images, seed: randomInt(0, 2_147_483_647), takes: drawing.panel.takeCount });
	// Plain JSON (the engine's input is a loose object of JSON values).
	const stored: Prisma.InputJsonObject = JSON.parse(JSON.stringify(params));
	return { update: { finalPrompt: prompt, params: stored, enhanceNote, engine: engine.name, followTakeId: followed?.takeId ?? null }, next: 'now' };
}
