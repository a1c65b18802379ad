import { HttpError, redactUrl } from './httpError.ts';
import { type ImageHostRule, isAllowedImageUrl } from './imageHosts.ts';

/**
 * A picture the bot refused to take: from a host outside IMAGE_HOSTS, redirected elsewhere, or not
 * a picture at all. Not worth a retry; `reason` is plain words a user may read (no URL in it).
 */
export class ImageRefusedError extends Error {
	public constructor(
		public readonly reason: string,
		detail: string,
	) {
		super(`image refused: ${detail}`);
		this.name = 'ImageRefusedError';
	}
}

export interface ImageDownloadOptions {
	readonly hosts: readonly ImageHostRule[];
	readonly maxBytes: number;
	readonly timeoutMs: number;
	/** Redirects followed, each checked against `hosts` (a CDN may send one or two). */
	readonly maxRedirects?: number;
}

const MAX_REDIRECTS = 3;
const NOT_ALLOWED = 'The picture was drawn, but the generator sent it from a place this bot does not download from.';
const NOT_AN_IMAGE = 'The picture was drawn, but what the generator sent was not a PNG, JPEG or WebP picture.';

/**
 * Downloads a picture from a signed URL: only from IMAGE_HOSTS (redirects followed by hand, each
 * checked, a few at most), at most `maxBytes` (the stream is cancelled as soon as it passes them,
 * nothing beyond is read), and only bytes that are a PNG, JPEG or WebP by their first bytes. The
 * content type returned is the one the bytes show, not the one the server claimed.
 */
export async function downloadPicture(url: string, options: ImageDownloadOptions): Promise<{ data: Buffer; contentType: string }> {
	const signal = AbortSignal.timeout(options.timeoutMs);
	let target = checkedUrl(url, options.hosts, url);
	for (let redirects = 0; ; redirects++) {
		let response: Response;
		try {
			response = await fetch(target, { signal, redirect: 'manual' });
		} catch (error) {
			throw new HttpError('ImageDownload', 'GET', url, 0, undefined, undefined, { cause: error });
		}
		if (response.status >= 300 && response.status < 400) {
			await response.body?.cancel();
			const location = response.headers.get('location');
			if (!location || redirects >= (options.maxRedirects ?? MAX_REDIRECTS))
				throw new HttpError('ImageDownload', 'GET', url, 502, 'too many or empty redirects', undefined);
			target = checkedUrl(location, options.hosts, url, target);
			continue;
		}
		if (!response.ok) {
			await response.body?.cancel();
			throw new HttpError('ImageDownload', 'GET', url, response.status, undefined, undefined);
		}
		const data = await readCapped(response, options.maxBytes, url, signal);
		const contentType = pictureType(data);
		if (!contentType) throw new ImageRefusedError(NOT_AN_IMAGE, `the body of ${redactUrl(url)} is not a PNG, JPEG or WebP`);
		return { data, contentType };
	}
}

/** The URL to fetch, resolved against the one that redirected; refused unless IMAGE_HOSTS allows it. */
function checkedUrl(raw: string, hosts: readonly ImageHostRule[], original: string, base?: URL): URL {
	let parsed: URL | undefined;
	try {
		parsed = new URL(raw, base);
	} catch {
		parsed = undefined;
	}
	if (!parsed || !isAllowedImageUrl(parsed, hosts)) {
		const what = base ? `a redirect from ${redactUrl(original)} to ${parsed ? redactUrl(parsed.href) : 'an invalid URL'}` : redactUrl(raw);
		throw new ImageRefusedError(NOT_ALLOWED, `${what} is outside IMAGE_HOSTS`);
	}
	return parsed;
}

async function readCapped(response: Response, maxBytes: number, url: string, signal: AbortSignal): Promise<Buffer> {
	const tooLarge = () => new HttpError('ImageDownload', 'GET', url, 413, 'image too large', undefined);
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
				// Cancelling closes the connection: the rest is never read, whatever the server meant to send.
				await reader.cancel();
				throw tooLarge();
			}
			chunks.push(value);
		}
	} catch (error) {
		if (error instanceof HttpError) throw error;
		throw new HttpError('ImageDownload', 'GET', url, 0, undefined, undefined, { cause: signal.aborted ? signal.reason : error });
	}
	return Buffer.concat(chunks);
}

/** The picture's type by its magic bytes: PNG, JPEG or WebP, else undefined. */
export function pictureType(data: Buffer): 'image/png' | 'image/jpeg' | 'image/webp' | undefined {
	if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
	if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
	if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
	return undefined;
}
