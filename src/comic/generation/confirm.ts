import { randomUUID } from 'node:crypto';
import { CONFIRM_ABOVE_DEFAULT, readSettings } from '../../accounts/settings.ts';
import { reviseReservation } from '../drawings/revise.ts';
import { drawingStep } from '../engines/drawingStep.ts';
import { viewOf } from './deliver.ts';
import type { GenerationDeps } from './deps.ts';
import type { DrawingSubject } from './drawingSubject.ts';
import type { Payer } from '../takes/payer.ts';
import { unavailableReason, USER_KEY_REJECTED } from './failures.ts';
import { type DrawingOutcome, fail, isKnownHttpError, retryOrFail } from './outcome.ts';

/** How long a panel waits for its owner's Draw before it ends undrawn. */
export const CONFIRM_WAIT_MS = 60 * 60 * 1000;
export const NOT_CONFIRMED =
	'Not drawn: nobody pressed Draw within an hour, so nothing was sent to the generator and no Buzz was spent. Draw it again with Redraw.';

/**
 * Whether a prepared drawing must be priced before it is submitted: panels drawn from pictures (40–340
 * Buzz a picture) that their owner has not yet let through. LoRA panels (~10 Buzz) and story panels
 * (priced and confirmed as a whole by Draw all) go straight on.
 */
export function needsConfirmation(drawing: DrawingSubject): boolean {
	return Boolean(drawing.params) && drawing.engine !== null && drawing.engine !== 'checkpoint' && !drawing.confirmedAt && !drawing.panel.storyId;
}

/**
 * Cost before spending: a whatif with the very body that will be submitted (references included; a
 * fresh externalId, never the drawing's, which a later submit would otherwise find and return). At or
 * below the server's `confirm_above` the drawing goes on at once and its message shows the estimate;
 * above it, nothing is submitted: the owner is asked privately (Draw / Cancel) and the drawing sleeps
 * until a press makes it due again. The estimate is stored on the drawing for the Buzz ledger.
 */
export async function confirmCost(deps: GenerationDeps, payer: Payer, drawing: DrawingSubject, now: number): Promise<DrawingOutcome> {
	// Asked already: a press (Draw or Cancel) wakes it earlier; unanswered, it ends without spending anything.
	if (drawing.confirmAskedAt) {
		const until = drawing.confirmAskedAt.getTime() + CONFIRM_WAIT_MS;
		return now >= until ? fail(NOT_CONFIRMED) : { next: until };
	}
	const step = drawingStep(drawing.params);
	if (!step) return { next: 'now' };
	let estimate: number | undefined;
	try {
		estimate = await payer.orchestrator.estimate({
			step,
			externalId: `whatif-${randomUUID()}`,
			tags: ['comics'],
			allowMatureContent: drawing.panel.allowMature,
		});
	} catch (error) {
		if (!isKnownHttpError(error)) throw error;
		if (error.status === 401 && payer.paidBy === 'user') return fail(USER_KEY_REJECTED);
		deps.log.warn({ err: error, status: error.status }, 'the cost estimate failed');
		if (error.status >= 400 && error.status < 500 && error.status !== 429) return { update: { confirmedAt: new Date(now) }, next: 'now' };
		return retryOrFail(error, unavailableReason(error));
	}
	if (estimate !== undefined) {
		// The whatif replaces the admission's reservation and meets the Buzz budgets again (src/comic/drawings/revise.ts).
		const refused = await reviseReservation(deps.db, deps.limits, drawing, estimate, now);
		if (refused) {
			deps.log.info({ estimate }, 'the whatif passes a Buzz budget: refused before submission');
			return fail(refused);
		}
	}
	const threshold = (await readSettings(deps.db, drawing.guildId)).confirmAbove ?? CONFIRM_ABOVE_DEFAULT;
	if (estimate === undefined || estimate <= threshold) return { update: { estimatedBuzz: estimate ?? null, confirmedAt: new Date(now) }, next: 'now' };
	deps.log.info({ estimate, threshold }, 'asking the owner before drawing');
	const asking = { ...drawing, estimatedBuzz: estimate, confirmAskedAt: new Date(now) };
	// The panel's message first shows the question (with Draw / Cancel, for when the private one cannot be
	// sent): a follow-up sent while the deferred reply still loads would take its place, in public.
	const shown = await deps.messenger(viewOf(asking, [], null)).catch((error: unknown) => ({ ok: false as const, reason: String(error) }));
	if (!shown.ok) deps.log.warn({ reason: shown.reason }, 'could not show the question in the panel message');
	else await deps.askConfirmation?.(asking, estimate, threshold).catch((error: unknown) => deps.log.warn({ err: error }, 'could not ask privately'));
	// It holds its slot while it waits, at most CONFIRM_WAIT_MS; a far due time (not none), so that Draw and Cancel can make it due.
	return { update: { estimatedBuzz: estimate, confirmAskedAt: asking.confirmAskedAt }, next: now + CONFIRM_WAIT_MS };
}
