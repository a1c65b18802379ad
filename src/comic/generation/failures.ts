import { problemOf, type WorkflowStatus } from '../../civitai/orchestrator.ts';
import type { HttpError } from '../../net/httpError.ts';

/** What the panel's message says when a workflow ends without a picture. */
export function workflowEndReason(status: Exclude<WorkflowStatus, 'succeeded'>, jobReason?: string | null): string {
	const known = knownJobReason(jobReason);
	if (known && status !== 'canceled') return known;
	switch (status) {
		case 'failed':
			return `Generation failed on Civitai's side${jobReason ? ` (${shorten(jobReason)})` : ''}. The Buzz for it has been refunded. Try again, perhaps with a different prompt.`;
		case 'expired':
			return 'Generation expired: the generator did not get to this panel in time. The Buzz for it has been refunded. Try again in a few minutes.';
		case 'canceled':
			return 'Generation canceled before it finished. The Buzz for it has been refunded.';
		default:
			return 'Generation stopped without a picture. Try again in a few minutes.';
	}
}

/** The job reasons the orchestrator documents (reference-images.md §5), in plain words. */
function knownJobReason(reason: string | null | undefined): string | undefined {
	const key = reason?.trim().toLowerCase();
	if (!key) return undefined;
	if (key === 'no_provider_available')
		return 'No generator for this engine is available right now (no provider), so this panel was not drawn. The Buzz for it has been refunded. Try again later, or switch the project to another engine with `/comic project edit`.';
	if (key === 'blocked')
		return "Civitai's moderation blocked this prompt, so this panel was not drawn. The Buzz for it has been refunded. Try a different prompt.";
	if (key === 'timeout' || key === 'expired')
		return 'The generator took too long with this panel and gave up. The Buzz for it has been refunded. Try again in a few minutes.';
	return undefined;
}

export const REFERENCE_UNREADABLE =
	'The generator could not read the reference pictures of this panel, so it was not drawn and no Buzz was spent. Try again; if it keeps happening, give the characters new pictures with `/comic character pictures`.';

export const CANCELED_BEFORE_SUBMISSION = 'Canceled by its owner before it was sent to the generator: no Buzz was spent.';
export const TIMED_OUT = 'Generation timed out: no result after 25 minutes, so it was canceled. Try again later.';
export const OFFLINE = 'The image generator is currently offline or unreachable, so this panel could not be drawn. Please try again in a few minutes.';
export const OVERLOADED = 'The image generator is currently overloaded, so this panel could not be drawn. Please wait a moment and try again.';
export const CONFIGURATION =
	"The bot could not use the image generator because of a configuration problem on the bot's side. The server admins have been told in the bot's logs.";

// accounts: per-user key
export const USER_KEY_REJECTED = 'Your Civitai key was rejected; link it again with `/comic account link`.';

/**
 * A submission the orchestrator refused for good, in words for the panel's message, or undefined
 * when the error may pass (429, 5xx, timeouts) and the submission should be tried again.
 */
export function submissionRefusal(error: HttpError): string | undefined {
	if (error.retryable) return undefined;
	const problem = problemOf(error);
	switch (error.status) {
		case 400: {
			const everything = `${problem?.title ?? ''} ${problem?.detail ?? ''} ${Object.values(problem?.errors ?? {})
				.flat()
				.join(' ')}`.toLowerCase();
			if (everything.includes('failed to download') || everything.includes('image url')) return REFERENCE_UNREADABLE;
			const fields = Object.entries(problem?.errors ?? {}).map(([field, messages]) => `${fieldName(field)}: ${messages.join(' ')}`);
			const detail = fields.length ? fields.join('; ') : (problem?.detail ?? problem?.title ?? 'invalid request');
			return `The image generator refused this panel as invalid (${shorten(detail)}). Try rewording the prompt.`;
		}
		case 401:
			return CONFIGURATION;
		case 403: {
			const detail = `${problem?.title ?? ''} ${problem?.detail ?? ''}`.toLowerCase();
			if (detail.includes('mature') || detail.includes('nsfw'))
				return 'The image generator refused this panel because it would be mature content, which is not allowed here.';
			if (detail.includes('cap') || detail.includes('limit'))
				return "The bot's Civitai account has reached its spending limit: there is not enough Buzz to generate this panel. Tell the server admins.";
			return "Insufficient Buzz balance to generate this panel: the bot's Civitai account has run out of Buzz. Tell the server admins.";
		}
		default:
			return `The image generator refused this panel (error ${error.status}). Try again later.`;
	}
}

/** An error nobody planned for: the user gets no internals, only a reference the admins can search for. */
export function unexpectedReason(reference: string): string {
	return `Something went wrong on the bot's side while drawing this panel. Try again; if it keeps happening, give the bot's admins this reference: \`${reference}\`.`;
}

/** After the last retry of a passing error, the user is told which of the two it was. */
export function unavailableReason(error: unknown): string {
	return typeof error === 'object' && error !== null && 'status' in error && error.status === 429 ? OVERLOADED : OFFLINE;
}

/** `steps[0].input.prompt` → `prompt`: the user knows the prompt, not the request's layout. */
function fieldName(path: string): string {
	return (
		path
			.split('.')
			.pop()
			?.replace(/\[\d+\]/g, '') || path
	);
}

function shorten(text: string, max = 300): string {
	const clean = text.replace(/\s+/g, ' ').trim();
	return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
