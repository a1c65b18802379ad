import { pictureUnavailable } from './deliver.ts';
import { DEFAULT_DELIVERY_RETRY } from './deliveryRetry.ts';
import type { GenerationDeps } from './deps.ts';
import type { DrawingSubject } from './drawingSubject.ts';
import type { DrawingOutcome } from './outcome.ts';
import type { Payer } from '../takes/payer.ts';
import { picturesToShow } from '../takes/pictures.ts';
import { markPublishedActivity } from '../publish/activity.ts';

/**
 * A story's panel has ended: its story message is edited to show it (one edit per finished panel,
 * so a story's message is edited at most once per panel plus its cancellation). A ready panel's words
 * (the plan's caption and dialogue, in the panel's columns) are lettered on its takes first, as for a
 * panel of its own (src/comic/lettering/), and the story message shows the lettered picture.
 */
export async function deliverToStory(deps: GenerationDeps, payer: Payer, drawing: DrawingSubject, storyId: string, now: number): Promise<DrawingOutcome> {
	if (!deps.storyMessenger) return { update: { delivery: 'undelivered', deliveryError: 'stories cannot be shown by this process' }, next: null };
	if (drawing.status === 'ready') {
		try {
			await picturesToShow(deps, payer, drawing, drawing.panel);
		} catch (error) {
			deps.log.warn({ err: error }, 'the picture is not on this machine and could not be fetched again');
			return pictureUnavailable(error);
		}
	}
	const result = await deps.storyMessenger(storyId);
	if (result.ok) {
		deps.log.info({ storyId, messageId: result.messageId }, 'story message updated');
		// A story's panels are panels of the project too: its published posts note them.
		if (drawing.status === 'ready')
			await markPublishedActivity(deps.db, drawing.panel.projectId, now).catch((error: unknown) =>
				deps.log.warn({ err: error }, 'could not mark the published posts of the project'),
			);
		return { update: { delivery: 'delivered', deliveredAt: new Date(now), deliveryError: null }, next: null };
	}
	deps.log.warn({ storyId, reason: result.reason, retryable: result.retryable }, 'story message update failed');
	const kept = { deliveryError: result.reason };
	const undelivered = { update: { ...kept, delivery: 'undelivered' as const }, next: null };
	if (!result.retryable) return undelivered;
	return { retry: { retryAt: result.retryAt, update: kept, giveUp: undelivered, policy: DEFAULT_DELIVERY_RETRY } };
}
