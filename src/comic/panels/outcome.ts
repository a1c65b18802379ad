import { ZodError } from 'zod';
import type { Panel, Prisma } from '../../db/generated/postgres/client.ts';
import { HttpError } from '../../net/httpError.ts';
import { backoffMs } from '../../poller/schedule.ts';
import { newReference, unexpectedReason } from './failures.ts';
import { DEFAULT_RETRY, type PanelDeps, type RetryPolicy } from './panelDeps.ts';

export type PanelUpdate = Prisma.PanelUncheckedUpdateManyInput;

/** What one step of a panel's life decided: the row update, and when to look at the panel next. */
export interface Outcome {
	readonly update: PanelUpdate;
	/** `now`: keep the claim and take the next step at once; null: nothing more to do. */
	readonly next: 'now' | number | null;
	/** Show the new state in the panel's message once the update is stored. */
	readonly announce?: boolean;
}

/** The panel ends without a picture; `reason` is what its message tells the user. */
export function fail(reason: string, extra: PanelUpdate = {}): Outcome {
	return { update: { ...extra, status: 'failed', failureReason: reason, errorCount: 0 }, next: 'now' };
}

/**
 * Tries the step again later, with backoff and jitter (never sooner than a Retry-After asks),
 * until the policy's bound; then the panel fails with `finalReason`.
 */
export function retryOrFail(
	deps: Pick<PanelDeps, 'retry'>,
	panel: Pick<Panel, 'errorCount'>,
	now: number,
	error: unknown,
	finalReason: string,
	extra: PanelUpdate = {},
): Outcome {
	const retryAfter = error instanceof HttpError ? (error.retryAfterMs ?? 0) : 0;
	return retryLater(deps.retry ?? DEFAULT_RETRY, panel, now, retryAfter, fail(finalReason, extra), extra);
}

/**
 * The one retry rule of every step: counted in `errorCount`, backoff with jitter (never sooner than
 * `retryAfterMs`), and `giveUp` once the policy's tries are spent.
 */
export function retryLater(
	policy: RetryPolicy,
	panel: Pick<Panel, 'errorCount'>,
	now: number,
	retryAfterMs: number,
	giveUp: Outcome,
	extra: PanelUpdate = {},
): Outcome {
	if (panel.errorCount + 1 >= policy.attempts) return giveUp;
	const wait = Math.max(retryAfterMs, backoffMs(panel.errorCount, policy.baseMs, policy.capMs));
	return { update: { ...extra, errorCount: { increment: 1 } }, next: now + wait };
}

/**
 * An error nobody planned for (a bug, a full disk, an answer of a shape we do not know): logged in
 * full with a short reference, tried again within the bound, and shown to the user only as that
 * reference, so no internal text reaches Discord.
 */
export function unexpected(deps: PanelDeps, panel: Panel, now: number, error: unknown): Outcome {
	const reference = newReference();
	deps.log.error({ err: error, reference, userId: panel.ownerId, projectId: panel.projectId }, 'panel step failed unexpectedly');
	return retryOrFail(deps, panel, now, error, unexpectedReason(reference));
}

/**
 * An HTTP error the steps know how to explain. A 200 whose body does not match our schema is not
 * one of them: it means the API changed under us, which the admins must hear about.
 */
export function isKnownHttpError(error: unknown): error is HttpError {
	return error instanceof HttpError && !(error.cause instanceof ZodError);
}
