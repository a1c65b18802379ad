import { HttpError } from './httpError.ts';

/**
 * Downloads a file at once with a deadline, refusing one larger than `maxBytes` while it streams (a
 * lying or missing Content-Length cannot make the bot hold more). Throws an HttpError: status 0 for a
 * network failure, 413 for a file too large, the server's status otherwise.
 */
export async function downloadCapped(
	url: string,
	options: { maxBytes: number; timeoutMs: number; api?: string },
): Promise<{ data: Buffer; contentType: string | undefined }> {
	const api = options.api ?? 'Download';
	let response: Response;
	try {
		response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs), redirect: 'error' });
	} catch (error) {
		throw new HttpError(api, 'GET', url, 0, undefined, undefined, { cause: error });
	}
	if (!response.ok || !response.body) {
		await response.body?.cancel();
		throw new HttpError(api, 'GET', url, response.status, undefined, undefined);
	}
	const data = await readCapped(response, options.maxBytes, { api, url });
	return { data, contentType: response.headers.get('content-type') ?? undefined };
}

/**
 * Reads a response's body up to `maxBytes`, refusing while it streams: cancelling closes the connection,
 * so the rest is never read whatever the server meant to send. 413 past the cap, status 0 for a broken read.
 */
export async function readCapped(response: Response, maxBytes: number, at: { api: string; url: string; signal?: AbortSignal }): Promise<Buffer> {
	const tooLarge = () => new HttpError(at.api, 'GET', at.url, 413, 'too large', undefined);
	const declared = Number(response.headers.get('content-length') ?? 0);
	if (declared > maxBytes) {
		await response.body?.cancel();
		throw tooLarge();
	}
	if (!response.body) return Buffer.alloc(0);
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > maxBytes) {
				await reader.cancel().catch(() => undefined);
				throw tooLarge();
			}
			chunks.push(value);
		}
	} catch (error) {
		if (error instanceof HttpError) throw error;
		throw new HttpError(at.api, 'GET', at.url, 0, undefined, undefined, { cause: at.signal?.aborted ? at.signal.reason : error });
	}
	return Buffer.concat(chunks);
}
