import type { WorkflowImage } from '../../civitai/orchestrator.ts';

export const WITHHELD =
	'The picture was drawn, but it was withheld because it may be mature content and this channel is not age-restricted. Age-restricted channels show such pictures.';
export const BLOCKED = "The picture was drawn, but it was withheld because Civitai's moderation blocked it. Try a different prompt.";

const SAFE_LEVELS = new Set(['pg', 'pg13']);

/**
 * Why an image must not be posted, or undefined when it may be. Outside age-restricted channels
 * only PG and PG-13 images are posted. A blocked image is posted nowhere: Civitai's moderation
 * blocks what no channel may show, so an age-restricted channel does not make it acceptable.
 */
export function withheldReason(image: WorkflowImage, allowMature: boolean): string | undefined {
	if (image.blockedReason) return BLOCKED;
	if (allowMature) return undefined;
	// No level at all is let through: the workflow was submitted without mature content allowed,
	// so the orchestrator itself keeps such an image within bounds (or blocks it).
	const level = image.nsfwLevel?.toLowerCase();
	return level === undefined || SAFE_LEVELS.has(level) ? undefined : WITHHELD;
}

/**
 * Whether a kept picture may show mature content, decided once when it is kept and stored on its take:
 * rated above PG-13, blocked by moderation, drawn with a mature model, or drawn where mature content
 * was allowed without a rating (the orchestrator kept nothing within bounds then).
 */
export function isMaturePicture(image: Pick<WorkflowImage, 'nsfwLevel' | 'blockedReason'>, allowMature: boolean, matureModel: boolean): boolean {
	if (image.blockedReason || matureModel) return true;
	const level = image.nsfwLevel?.toLowerCase();
	return level === undefined ? allowMature : !SAFE_LEVELS.has(level);
}

/** Whether a take may be shown where the interaction happened: mature pictures only in age-restricted channels (never in DMs). */
export function mayShowHere(take: { readonly mature: boolean }, ageRestricted: boolean): boolean {
	return ageRestricted || !take.mature;
}

/** What a reply says about panels left out for channel safety (and how many); empty when none was. */
export function withheldNote(numbers: readonly number[]): string {
	if (numbers.length === 0) return '';
	const which = numbers.length === 1 ? `1 panel was left out (${numbers[0]})` : `${numbers.length} panels were left out (${numbers.join(', ')})`;
	return ` ${which}: mature pictures are shown only in age-restricted channels.`;
}
