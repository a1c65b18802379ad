import { ZodError } from 'zod';
import type { DrawingUpdate } from '../../db/database.ts';
import type { Done, Outcome, Retry } from '../../jobs/outcome.ts';
import { HttpError } from '../../net/httpError.ts';

/** What a step of a drawing decided (src/jobs/outcome.ts): the runner stores it while it holds the lease. */
export type DrawingOutcome = Outcome<DrawingUpdate>;

/** The drawing ends without a picture; `reason` is what its message tells the user. */
export function fail(reason: string, extra: DrawingUpdate = {}): Done<DrawingUpdate> {
	return { update: { ...extra, status: 'failed', failureReason: reason }, next: 'now' };
}

/**
 * Tries the step again later (the runner's backoff, never before a Retry-After), until the retry
 * policy's bound; then the drawing fails with `finalReason`.
 */
export function retryOrFail(error: unknown, finalReason: string, extra: DrawingUpdate = {}): Retry<DrawingUpdate> {
	return { retry: { retryAt: error instanceof HttpError ? error.retryAt : undefined, update: extra, giveUp: fail(finalReason, extra) } };
}

/**
 * An HTTP error the steps know how to explain. A 200 whose body does not match our schema is not
 * one of them: it means the API changed under us, which the admins must hear about.
 */
export function isKnownHttpError(error: unknown): error is HttpError {
	return error instanceof HttpError && !(error.cause instanceof ZodError);
}
