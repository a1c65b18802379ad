import type { DeliveryReads, DrawingUpdate } from '../../db/database.ts';
import { HttpError } from '../../net/httpError.ts';
import { DEFAULT_DELIVERY_RETRY } from './deliveryRetry.ts';
import type { GenerationDeps, DrawingView, Picture } from './deps.ts';
import type { DrawingSubject } from './drawingSubject.ts';
import type { DrawingOutcome } from './outcome.ts';
import type { Payer } from '../takes/payer.ts';
import { picturesToShow } from '../takes/pictures.ts';
import { markPublishedActivity } from '../publish/activity.ts';

/**
 * Shows the drawing's final state in its message. Marked as started before the first call: if this
 * process dies during it, the next attempt looks at the message before writing it again. A picture
 * this host lacks is fetched again with the client of the drawing's `payer`. `reads`: the takes, the
 * panel's cost and whether the project was published, read in one statement by the caller
 * (deliveryReads) once the drawing's outcome was stored.
 */
export async function deliver(
	deps: GenerationDeps,
	payer: Payer,
	drawing: DrawingSubject,
	now: number,
	claim: string,
	reads: Pick<DeliveryReads, 'takes' | 'panelCost' | 'published'>,
): Promise<DrawingOutcome> {
	if (!drawing.deliveryStartedAt) {
		const { count } = await deps.db.drawing.updateMany({ where: { id: drawing.id, leaseOwner: claim }, data: { deliveryStartedAt: new Date(now) } });
		if (count === 0) return { next: null };
	}
	let pictures: Picture[] = [];
	if (drawing.status === 'ready') {
		try {
			pictures = await picturesToShow(deps, payer, drawing, drawing.panel, reads.takes);
		} catch (error) {
			deps.log.warn({ err: error }, 'the picture is not on this machine and could not be fetched again');
			return pictureUnavailable(error);
		}
	}
	// Marked by the step just before, in this run: nothing was sent yet, so nothing to look at first.
	const shown = drawing.deliveryMarkedInRun ? { ...drawing, deliveryStartedAt: null } : drawing;
	const result = await deps.messenger(viewOf(shown, pictures, reads.panelCost));
	const tokenDead = result.tokenDead || drawing.tokenDead;
	if (result.ok) {
		deps.log.info({ messageId: result.messageId }, 'panel delivered');
		// Published posts of the project note the new panel (an edit, later and spaced: the activity job).
		// A project never published has no post to mark: read with the takes, after they were stored.
		if (drawing.status === 'ready' && reads.published)
			await markPublishedActivity(deps.db, drawing.panel.projectId, now).catch((error: unknown) =>
				deps.log.warn({ err: error }, 'could not mark the published posts of the project'),
			);
		return {
			update: { delivery: 'delivered', deliveredAt: new Date(now), messageId: result.messageId ?? drawing.messageId, tokenDead, deliveryError: null },
			next: null,
		};
	}
	deps.log.warn({ reason: result.reason, retryable: result.retryable }, 'panel delivery failed');
	const kept = { deliveryError: result.reason, tokenDead };
	// Discord's own faults follow the default policy; ORCHESTRATOR_RETRY_* is about the orchestrator.
	if (!result.retryable) return undelivered(kept);
	return { retry: { retryAt: result.retryAt, update: kept, giveUp: undelivered(kept), policy: DEFAULT_DELIVERY_RETRY } };
}

/**
 * The picture was kept on another host's disk and fetching it again failed. That is the orchestrator's
 * fault, not Discord's: the drawing job's own retry rule (ORCHESTRATOR_RETRY_*) applies, and never
 * before a Retry-After the orchestrator asked for.
 */
export function pictureUnavailable(error: unknown): DrawingOutcome {
	const kept = { deliveryError: 'picture unavailable' };
	return { retry: { retryAt: error instanceof HttpError ? error.retryAt : undefined, update: kept, giveUp: undelivered(kept) } };
}

/** Nothing more will be tried: the drawing stays recorded as not shown, with the reason. */
function undelivered(update: DrawingUpdate): DrawingOutcome & { next: null } {
	return { update: { ...update, delivery: 'undelivered' }, next: null };
}

/** What the message of a drawing shows. */
export function viewOf(drawing: DrawingSubject, pictures: readonly Picture[], panelCost: number | null): DrawingView {
	const { panel, project, character, characters, prompt, deliveryMarkedInRun: _marked, ...row } = drawing;
	// Several characters show as one line of names.
	const shown = characters.length > 1 && character ? { ...character, name: characters.map((each) => each.name).join(', ') } : character;
	return { ...row, number: panel.number, prompt: prompt ?? panel.prompt, project, character: shown, pictures, panelCost };
}

/** The Buzz spent on a panel: the sum over its drawings. */
export async function panelCost(deps: Pick<GenerationDeps, 'db'>, panelId: string): Promise<number | null> {
	const spent = await deps.db.drawing.aggregate({ where: { panelId }, _sum: { cost: true } });
	return spent._sum.cost;
}
