import type { WorkflowImage } from '../../civitai/orchestrator.ts';

const SAFE_LEVELS = new Set(['pg', 'pg13']);

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
