import { request } from 'undici';
import { HttpError } from './httpError.ts';
import { firstHeader } from './request.ts';

/** An answer as undici's `request` gives it: its status, headers and body stream. */
export interface Answer {
	readonly statusCode: number;
	readonly headers: Record<string, string | string[] | undefined>;
	readonly body: AsyncIterable<Uint8Array> & { destroy(error?: Error): unknown; on(event: 'error', listener: (error: Error) => void): unknown };
}

/**
 * Downloads a file at once with a deadline, refusing one larger than `maxBytes` while it streams (a
 * lying or missing Content-Length cannot make the bot hold more). Redirects are not followed. Throws an
 * HttpError: status 0 for a network failure, 413 for a file too large, the server's status otherwise.
 */
export async function downloadCapped(
	url: string,
	options: { maxBytes: number; timeoutMs: number; api?: string },
): Promise<{ data: Buffer; contentType: string | undefined }> {
	const api = options.api ?? 'Download';
	const signal = AbortSignal.timeout(options.timeoutMs);
	let answer: Answer;
	try {
		answer = await request(url, { signal });
	} catch (error) {
		throw new HttpError(api, 'GET', url, 0, undefined, undefined, { cause: error });
	}
	if (answer.statusCode < 200 || answer.statusCode >= 300) {
		drop(answer);
		throw new HttpError(api, 'GET', url, answer.statusCode, undefined, undefined);
	}
	const data = await readCapped(answer, options.maxBytes, { api, url, signal });
	return { data, contentType: firstHeader(answer.headers['content-type']) };
}

/**
 * An answer whose body is not wanted: its connection is closed rather than the rest read. Destroyed, the
 * body emits an abort error; heard here, or it would be an uncaught exception that ends the process.
 */
export function drop(answer: Answer): void {
	answer.body.on('error', () => undefined);
	answer.body.destroy();
}

/**
 * Reads an answer's body up to `maxBytes`, refusing while it streams: destroying the body closes the
 * connection, so the rest is never read whatever the server meant to send. 413 past the cap, status 0
 * for a broken read.
 */
export async function readCapped(answer: Answer, maxBytes: number, at: { api: string; url: string; signal?: AbortSignal }): Promise<Buffer> {
	const tooLarge = () => new HttpError(at.api, 'GET', at.url, 413, 'too large', undefined);
	const declared = Number(firstHeader(answer.headers['content-length']) ?? 0);
	if (declared > maxBytes) {
		drop(answer);
		throw tooLarge();
	}
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		for await (const chunk of answer.body) {
			size += chunk.byteLength;
			if (size > maxBytes) {
				drop(answer);
				throw tooLarge();
			}
			chunks.push(chunk);
		}
	} catch (error) {
		if (error instanceof HttpError) throw error;
		throw new HttpError(at.api, 'GET', at.url, 0, undefined, undefined, { cause: at.signal?.aborted ? at.signal.reason : error });
	}
	return Buffer.concat(chunks);
}
