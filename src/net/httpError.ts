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
		options?: { cause?: unknown; retryAfterMs?: number | undefined },
	) {
		super(
			`${api}[${status || (options?.cause instanceof Error && options.cause.name === 'TimeoutError' ? 'timeout' : 'network')}] ${method} ${redactUrl(url)}${code ? `: ${code}` : ''}`,
			{ cause: options?.cause },
		);
		this.name = `${api}Error`;
		this.retryAfterMs = options?.retryAfterMs;
		// Built when the answer arrives: the wait counts from here, not from when the request began.
		this.retryAt = options?.retryAfterMs === undefined ? undefined : Date.now() + options.retryAfterMs;
	}

	public readonly retryAfterMs: number | undefined;
	/** Epoch ms before which the API asked not to be called again (Retry-After), measured at its answer. */
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

export function retryAfterMs(header: string | null): number | undefined {
	if (!header) return undefined;
	const seconds = Number(header);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(header);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
