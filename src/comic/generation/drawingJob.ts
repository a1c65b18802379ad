import { type Drawing, type DrawingUpdate, deliveryReads, drawingJobs, hasWaiting, olderStillQueued } from '../../db/database.ts';
import type { Done } from '../../jobs/outcome.ts';
import type { JobKind } from '../../jobs/kind.ts';
import type { RetryPolicy } from '../../jobs/outcome.ts';
import { check } from './check.ts';
import { deliver, viewOf } from './deliver.ts';
import type { GenerationDeps } from './deps.ts';
import { type DrawingSubject, loadClaimedDrawings, loadDrawing } from './drawingSubject.ts';
import { CANCELED_BEFORE_SUBMISSION, unexpectedReason } from './failures.ts';
import { type DrawingOutcome, fail, retryOrFail } from './outcome.ts';
import { CANCELED_WITH_STORY, storyCanceled } from '../stories/cancelStory.ts';
import { deliverToStory } from './deliverStory.ts';
import { cancelOrphanedWorkflow } from './orphanedWorkflow.ts';
import { markTokenDead } from './message.ts';
import { promoteNext, sweepQueue } from '../drawings/queue.ts';
import { confirmCost, needsConfirmation } from './confirm.ts';
import { removeExpiredPlans } from '../stories/storyPlanLimits.ts';
import { preparePrompt } from './prepare.ts';
import { submit } from './submit.ts';
import { type Payer, payerOf } from '../takes/payer.ts';

export const DRAWING_JOB = 'drawing';
/** How soon a drawing waiting for an older one of its user to be submitted looks again. */
const IN_ORDER_RETRY_MS = 100;

/**
 * A drawing as work for the job runner: prepare the prompt, submit, read the workflow until it ends,
 * keep the takes, show the final state. Each step reads the row's state, so a step cut short by a
 * crash is simply taken again by whichever process claims the row next.
 */
export function drawingJob(deps: GenerationDeps, retry: RetryPolicy): JobKind<DrawingSubject, DrawingUpdate, Drawing> & { name: typeof DRAWING_JOB } {
	const queue = deps.queue;
	return {
		name: DRAWING_JOB,
		table: drawingJobs(deps.db),
		retry,
		load: (id, claim, previous, stored) => loadDrawing(deps.db, id, claim, previous, stored),
		loadClaimed: (rows) => loadClaimedDrawings(deps.db, rows),
		async step(drawing, now) {
			// accounts: per-user key (the drawing's payer, fixed when it was created): passed to the steps
			// that use it, next to the deps, whose `botOrchestrator` is the bot's own client.
			const payer = await payerOf(deps, drawing);
			const log = deps.log.child({
				drawingId: drawing.id,
				panelId: drawing.panelId,
				workflowId: drawing.workflowId ?? undefined,
				interactionId: drawing.interactionId,
			});
			// Loaded with `leaseOwner` equal to the claim the runner holds.
			return step({ ...deps, log }, payer, drawing, now, drawing.leaseOwner ?? '');
		},
		unexpected: (_drawing, reference) => retryOrFail(undefined, unexpectedReason(reference)),
		// The queue's safety net: waiting drawings of users with a free slot start (a process that died
		// between a drawing's end and the promotion it owed leaves nothing waiting forever).
		// Story plans never drawn are removed once they expire (STORY_PLAN_TTL_MINUTES); not counted as jobs made due.
		...(queue
			? {
					maintain: async (now: number) => {
						if (deps.storyPlanTtlMs !== undefined) await removeExpiredPlans(deps.db, deps.storyPlanTtlMs, now);
						return sweepQueue(deps.db, queue, now);
					},
				}
			: {}),
		afterStore: (id, drawing, _outcome, stored) => announce(deps, id, drawing, stored),
		lost: (id, drawing, outcome) => cancelOrphanedWorkflow(deps, id, drawing, outcome.update),
		logContext: (drawing) => ({
			drawingId: drawing.id,
			panelId: drawing.panelId,
			workflowId: drawing.workflowId ?? undefined,
			interactionId: drawing.interactionId,
			userId: drawing.ownerId,
			projectId: drawing.panel.projectId,
		}),
	};
}

async function step(deps: GenerationDeps, payer: Payer, drawing: DrawingSubject, now: number, claim: string): Promise<DrawingOutcome> {
	if (drawing.status === 'queued' || drawing.status === 'generating') return deliveryNext(drawing, await stepBefore(deps, payer, drawing, now), now);
	if (drawing.delivery === 'pending') {
		// The pictures are fetched again, when this host lacks them, with the drawing's payer's key.
		if (drawing.panel.storyId) {
			await startNextWaiting(deps, drawing.ownerId);
			return deliverToStory(deps, payer, drawing, drawing.panel.storyId, now);
		}
		// One statement: the owner's waiting drawings, the takes, the panel's cost, the project's posts.
		const reads = await deliveryReads(deps.db, { ...drawing, projectId: drawing.panel.projectId });
		await startNextWaiting(deps, drawing.ownerId, reads.ownerWaiting);
		return deliver(deps, payer, drawing, now, claim, reads);
	}
	return { next: null } satisfies Done<DrawingUpdate>;
}

/**
 * An outcome that ends the drawing and goes straight on to its delivery (the next step, same run)
 * marks the delivery as started in the same statement, sparing `deliver` one of its own. Marked a
 * moment early, a crash in between costs only a look at the message before it is written.
 */
function deliveryNext(drawing: DrawingSubject, outcome: DrawingOutcome, now: number): DrawingOutcome {
	if ('retry' in outcome || outcome.next !== 'now' || drawing.panel.storyId || drawing.delivery !== 'pending' || drawing.deliveryStartedAt) return outcome;
	const status = outcome.update?.status;
	if (status !== 'ready' && status !== 'failed') return outcome;
	return { ...outcome, update: { ...outcome.update, deliveryStartedAt: new Date(now) } };
}

async function stepBefore(deps: GenerationDeps, payer: Payer, drawing: DrawingSubject, now: number): Promise<DrawingOutcome> {
	if (drawing.status === 'queued') {
		if (drawing.cancelRequestedAt) return fail(CANCELED_BEFORE_SUBMISSION);
		if (await storyCanceled(deps.db, drawing.panel.storyId)) return fail(CANCELED_WITH_STORY);
		if (!drawing.params) return preparePrompt(deps, payer, drawing);
		if (needsConfirmation(drawing)) return confirmCost(deps, payer, drawing, now);
		// A story's panels are submitted in order, even when two slots free at once.
		if (drawing.panel.storyId && (await olderStillQueued(deps.db, drawing, drawing.panel.storyId))) return { next: now + IN_ORDER_RETRY_MS };
		return submit(deps, payer, drawing, now);
	}
	return check(deps, payer, drawing, now);
}

/**
 * This drawing holds no slot any more: its owner's next waiting drawing starts (repeated harmlessly on
 * a retry). `waiting`: whether the owner has one, read already with the delivery's other reads.
 */
async function startNextWaiting(deps: GenerationDeps, ownerId: string, waiting?: boolean): Promise<void> {
	// Most users have nothing waiting: one read instead of the user's turn and its counts. A drawing
	// made to wait at this very moment is started by the queue's periodic sweep (maintain, below).
	if (!deps.queue || !(waiting ?? (await hasWaiting(deps.db, ownerId)))) return;
	const started = await promoteNext(deps.db, deps.queue, ownerId);
	if (started.length > 0) deps.log.info({ started }, 'waiting panels started');
}

/** Shows "being drawn" after a submission; a failure here changes nothing, the final edit matters. */
async function announce(deps: GenerationDeps, id: string, previous: DrawingSubject, stored: Drawing | undefined): Promise<void> {
	// A story's message shows panels as they are done, not as they start (bounded edits).
	if (previous.panel.storyId) return;
	// The row as its outcome was just stored (returned by that update), else read again.
	const row = stored ?? (await deps.db.drawing.findUnique({ where: { id } }));
	if (!row) return;
	const drawing = { ...row, panel: previous.panel, project: previous.project, character: previous.character, characters: previous.characters };
	const result = await (deps.progressMessenger ?? deps.messenger)(viewOf(drawing, [], null)).catch((error: unknown) => ({
		ok: false as const,
		retryable: false,
		reason: String(error),
		tokenDead: false,
	}));
	if (!result.ok) deps.log.warn({ drawingId: id, reason: result.reason }, 'could not show the panel as being drawn');
	if (result.tokenDead && !row.tokenDead) await markTokenDead(deps.db, id);
}
