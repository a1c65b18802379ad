/**
 * A failed call to an outside HTTP API. `status` is 0 when no answer came (network error or timeout).
 * Subclasses name the API so that logs read `OrchestratorError[429] POST …/workflows`.
 */
export class HttpError extends Error {
	public constructor(
		public readonly api: string,
		public readonly method: string,
		public readonly url: string,
		public readonly status: number,
		/** The API's own error code or title, when it sent one. */
		public readonly code: string | undefined,
		/** The answer's body, parsed when it was JSON: for logs and for telling users what was wrong. */
		public readonly body: unknown,
		options?: { cause?: unknown; retryAfterMs?: number | undefined; retryAt?: number | undefined },
	) {
		super(
			`${api}[${status || (options?.cause instanceof Error && options.cause.name === 'TimeoutError' ? 'timeout' : 'network')}] ${method} ${redactUrl(url)}${code ? `: ${code}` : ''}`,
			{ cause: options?.cause },
		);
		this.name = `${api}Error`;
		this.retryAfterMs = options?.retryAfterMs;
		this.retryAt = options?.retryAt ?? (options?.retryAfterMs === undefined ? undefined : Date.now() + options.retryAfterMs);
	}

	/** The wait a Retry-After asked for, relative to when the answer came (see {@link retryAt}). */
	public readonly retryAfterMs: number | undefined;
	/**
	 * The moment (epoch ms) a Retry-After allows the next try: the answer's arrival plus the wait it
	 * asked for. Schedule from this, not from when the request started: a slow answer would
	 * otherwise make the next try early by as long as the request took.
	 */
	public readonly retryAt: number | undefined;

	/** 429, 5xx, network errors and timeouts may succeed when tried again. */
	public get retryable(): boolean {
		return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
	}

	public get timedOut(): boolean {
		return this.status === 0 && this.cause instanceof Error && this.cause.name === 'TimeoutError';
	}
}

/** Signed URLs carry their signature in the query: keep it out of messages and logs. */
export function redactUrl(url: string): string {
	const queryAt = url.indexOf('?');
	return queryAt === -1 ? url : `${url.slice(0, queryAt)}?…`;
}

/**
 * A Retry-After header (seconds, or an HTTP date) read when the answer arrived, at `answeredAt`:
 * how long it asks to wait, and the moment that wait ends.
 */
export function retryAfter(header: string | null, answeredAt: number): { retryAfterMs: number; retryAt: number } | undefined {
	if (!header) return undefined;
	const seconds = Number(header);
	if (Number.isFinite(seconds)) {
		const retryAfterMs = Math.max(0, seconds * 1000);
		return { retryAfterMs, retryAt: answeredAt + retryAfterMs };
	}
	const date = Date.parse(header);
	return Number.isNaN(date) ? undefined : { retryAfterMs: Math.max(0, date - answeredAt), retryAt: Math.max(date, answeredAt) };
}
