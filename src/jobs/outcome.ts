/** What one step of a job decided: the row update, and when to look at the row next. */
export interface Done<Update> {
	/** Undefined: only the job columns change. */
	readonly update?: Update | undefined;
	/** `now`: keep the lease and take the next step at once; a time (epoch ms): due again then; null: nothing more to do. */
	readonly next: 'now' | number | null;
	/** Run the kind's `afterStore` once the update is stored (e.g. show progress). */
	readonly announce?: boolean;
}

/**
 * A passing failure: the runner tries the step again later with backoff and jitter, never before
 * `retryAt`, until the kind's retry policy (or `policy`) is spent; then `giveUp` is stored instead.
 */
export interface Retry<Update> {
	readonly retry: {
		/** Epoch ms measured when the refusal arrived (Retry-After), not when the step began. */
		readonly retryAt?: number | undefined;
		/** Stored with the retry (e.g. the number of reads so far). */
		readonly update?: Update;
		readonly giveUp: Done<Update>;
		readonly policy?: RetryPolicy | undefined;
	};
}

export type Outcome<Update> = Done<Update> | Retry<Update>;

export function isRetry<Update>(outcome: Outcome<Update>): outcome is Retry<Update> {
	return 'retry' in outcome;
}

/** Retries of passing errors: backoff with jitter, bounded. */
export interface RetryPolicy {
	/** Tries in all, the first included; after the last the step gives up. */
	readonly attempts: number;
	/** The first wait; each further wait doubles, with jitter, up to `capMs`. Retry-After wins when later. */
	readonly baseMs: number;
	readonly capMs: number;
}

export const DEFAULT_RETRY = { attempts: 6, baseMs: 1_000, capMs: 30_000 } as const satisfies RetryPolicy;

/** Backoff with full jitter for retries of failed calls: base·2^attempt, capped. */
export function backoffMs(attempt: number, baseMs = 1_000, capMs = 30_000, random = Math.random): number {
	const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The one retry rule of every step: the error count so far decides between another try (when,
 * from `now`, the moment the outcome is stored) and giving up.
 */
export function planRetry<Update>(
	retry: Retry<Update>['retry'],
	errorCount: number,
	policy: RetryPolicy,
	now: number,
): { outcome: Done<Update>; retried: boolean } {
	const rule = retry.policy ?? policy;
	if (errorCount + 1 >= rule.attempts) return { outcome: retry.giveUp, retried: false };
	const at = Math.max(now + backoffMs(errorCount, rule.baseMs, rule.capMs), retry.retryAt ?? 0);
	return { outcome: { update: retry.update, next: at }, retried: true };
}
