import type { DrawingUpdate } from '../../db/database.ts';
import { DEFAULT_DELIVERY_RETRY } from './deliveryRetry.ts';
import type { GenerationDeps, PanelView, Picture } from './deps.ts';
import type { DrawingSubject } from './drawingSubject.ts';
import { ensureImage } from './images.ts';
import { takeImageName } from './keepTakes.ts';
import type { DrawingOutcome } from './outcome.ts';
import { takesOf } from './takes.ts';

/**
 * Shows the drawing's final state in its message. Marked as started before the first call: if this
 * process dies during it, the next attempt looks at the message before writing it again.
 */
export async function deliver(deps: GenerationDeps, drawing: DrawingSubject, now: number, claim: string): Promise<DrawingOutcome> {
	if (!drawing.deliveryStartedAt) {
		const { count } = await deps.db.drawing.updateMany({ where: { id: drawing.id, leaseOwner: claim }, data: { deliveryStartedAt: new Date(now) } });
		if (count === 0) return { next: null };
	}
	let pictures: Picture[] = [];
	if (drawing.status === 'ready') {
		const takes = await takesOf(deps.db, drawing.id);
		try {
			if (takes.length === 0 || !drawing.workflowId) throw new Error('a ready drawing without its takes');
			for (const take of takes) {
				const workflowId = drawing.workflowId;
				await ensureImage(deps, {
					name: takeImageName(drawing.id, take.index),
					index: take.index,
					imagePath: take.imagePath,
					imageMime: take.imageMime,
					workflowId,
				});
			}
			pictures = takes.map(({ index, imagePath, imageMime, chosen }) => ({ index, imagePath, imageMime, chosen }));
		} catch (error) {
			deps.log.warn({ err: error }, 'the picture is not on this machine and could not be fetched again');
			const kept = { deliveryError: 'picture unavailable' };
			return { retry: { update: kept, giveUp: undelivered(kept), policy: DEFAULT_DELIVERY_RETRY } };
		}
	}
	const spent = await deps.db.drawing.aggregate({ where: { panelId: drawing.panelId }, _sum: { cost: true } });
	const result = await deps.messenger(viewOf(drawing, pictures, spent._sum.cost));
	const tokenDead = result.tokenDead || drawing.tokenDead;
	if (result.ok) {
		deps.log.info({ messageId: result.messageId }, 'panel delivered');
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

/** Nothing more will be tried: the drawing stays recorded as not shown, with the reason. */
function undelivered(update: DrawingUpdate): DrawingOutcome & { next: null } {
	return { update: { ...update, delivery: 'undelivered' }, next: null };
}

/** What the message of a drawing shows. */
export function viewOf(drawing: DrawingSubject, pictures: readonly Picture[], panelCost: number | null): PanelView {
	const { panel, project, character, prompt, ...row } = drawing;
	return { ...row, number: panel.number, prompt: prompt ?? panel.prompt, project, character, pictures, panelCost };
}
