import { HttpError, redactUrl } from './httpError.ts';
import { type ImageHostRule, isAllowedImageUrl } from './imageHosts.ts';
import { pictureKind } from '../images/magicBytes.ts';
import { request } from 'undici';
import { type Answer, drop, readCapped } from './downloadCapped.ts';
import { firstHeader } from './request.ts';

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
		let answer: Answer;
		try {
			// Redirects are not followed by undici's request: each is checked here.
			answer = await request(target, { signal });
		} catch (error) {
			throw new HttpError('ImageDownload', 'GET', url, 0, undefined, undefined, { cause: error });
		}
		if (answer.statusCode >= 300 && answer.statusCode < 400) {
			drop(answer);
			const location = firstHeader(answer.headers.location);
			if (!location || redirects >= (options.maxRedirects ?? MAX_REDIRECTS))
				throw new HttpError('ImageDownload', 'GET', url, 502, 'too many or empty redirects', undefined);
			target = checkedUrl(location, options.hosts, url, target);
			continue;
		}
		if (answer.statusCode < 200 || answer.statusCode >= 300) {
			drop(answer);
			throw new HttpError('ImageDownload', 'GET', url, answer.statusCode, undefined, undefined);
		}
		const data = await readCapped(answer, options.maxBytes, { api: 'ImageDownload', url, signal });
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

/** The picture's type by its magic bytes: PNG, JPEG or WebP (what the orchestrator draws), else undefined. */
export function pictureType(data: Buffer): 'image/png' | 'image/jpeg' | 'image/webp' | undefined {
	const kind = pictureKind(data);
	return kind === 'png' || kind === 'jpeg' || kind === 'webp' ? `image/${kind}` : undefined;
}
