import { type Dispatcher, request } from 'undici';
import type { z } from 'zod';
import { HttpError, retryAfter } from './httpError.ts';

export interface RequestOptions<T> {
	readonly api: string;
	readonly method?: Dispatcher.HttpMethod;
	readonly url: string;
	readonly headers?: Record<string, string>;
	readonly body?: unknown;
	readonly timeoutMs: number;
	/** Parses a successful answer; a mismatch is an error of the API, reported with status 502. */
	readonly schema: z.ZodType<T>;
	/** Pulls the API's error code out of an error body. */
	readonly errorCode?: (body: unknown) => string | undefined;
	/** The clock a Retry-After is measured on (Date.now unless a test injects one). */
	readonly now?: (() => number) | undefined;
}

/** One HTTP call with a deadline, JSON in and out, and the answer checked against a schema. */
export async function requestJson<T>(options: RequestOptions<T>): Promise<T> {
	const method = options.method ?? 'GET';
	const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
	if (options.body !== undefined) headers['content-type'] = 'application/json';
	let status: number;
	let retryAfterHeader: string | undefined;
	let answeredAt: number;
	let text: string;
	try {
		// undici's own request, not the global fetch: the same client underneath at a quarter of the CPU
		// (no web streams, no Request/Response objects), and these calls are several per panel.
		const response = await request(options.url, {
			method,
			headers,
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
			signal: AbortSignal.timeout(options.timeoutMs),
		});
		status = response.statusCode;
		retryAfterHeader = firstHeader(response.headers['retry-after']);
		// A Retry-After counts from here, when the answer came, not from when the request left.
		answeredAt = (options.now ?? Date.now)();
		text = await response.body.text();
	} catch (error) {
		throw new HttpError(options.api, method, options.url, 0, undefined, undefined, { cause: error });
	}
	const body = parseBody(text);
	if (status < 200 || status >= 300) {
		throw new HttpError(options.api, method, options.url, status, options.errorCode?.(body), body, retryAfter(retryAfterHeader ?? null, answeredAt));
	}
	const parsed = options.schema.safeParse(body);
	if (!parsed.success) {
		throw new HttpError(options.api, method, options.url, 502, 'unexpected response', body, { cause: parsed.error });
	}
	return parsed.data;
}

function parseBody(text: string): unknown {
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text.slice(0, 500);
	}
}

/** A header undici gives as a string, or as a list when it came several times: the first. */
export function firstHeader(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}
