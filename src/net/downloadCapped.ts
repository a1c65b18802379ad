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
	const declared = Number(response.headers.get('content-length') ?? 0);
	if (declared > options.maxBytes) {
		await response.body.cancel();
		throw new HttpError(api, 'GET', url, 413, 'too large', undefined);
	}
	const chunks: Buffer[] = [];
	let total = 0;
	try {
		for await (const chunk of response.body) {
			total += chunk.length;
			if (total > options.maxBytes) {
				await response.body.cancel().catch(() => undefined);
				throw new HttpError(api, 'GET', url, 413, 'too large', undefined);
			}
			chunks.push(Buffer.from(chunk));
		}
	} catch (error) {
		if (error instanceof HttpError) throw error;
		throw new HttpError(api, 'GET', url, 0, undefined, undefined, { cause: error });
	}
	return { data: Buffer.concat(chunks), contentType: response.headers.get('content-type') ?? undefined };
}
