import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request the server refuses before any handler looks at it (too large, cut short). */
export class BodyError extends Error {
	public constructor(
		public readonly status: number,
		message: string,
	) {
		super(message);
		this.name = 'BodyError';
	}
}

/**
 * The raw bytes of a request body, refused past `limitBytes`: signatures are computed over the
 * exact bytes, so the body is never parsed before it is verified. The cap holds while reading: past
 * it nothing more is kept, and the refusal closes the connection (see {@link sendProblem}) so the
 * rest is never read either.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
	const declared = Number(req.headers['content-length'] ?? 0);
	if (declared > limitBytes) return Promise.reject(new BodyError(413, 'request body too large'));
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const done = (error?: Error) => {
			req.off('data', onData);
			req.off('end', onEnd);
			req.off('error', onError);
			req.off('close', onClose);
			if (error) {
				req.pause();
				reject(error);
			} else resolve(Buffer.concat(chunks));
		};
		const onData = (chunk: Buffer | string) => {
			const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
			size += buffer.length;
			if (size > limitBytes) done(new BodyError(413, 'request body too large'));
			else chunks.push(buffer);
		};
		const onEnd = () => done();
		const onError = (error: Error) => done(error);
		// Closed before the end: the client left (or the request timeout cut it).
		const onClose = () => done(new BodyError(400, 'request body cut short'));
		req.on('data', onData);
		req.on('end', onEnd);
		req.on('error', onError);
		req.on('close', onClose);
	});
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
	res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
	res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
	res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
	res.writeHead(status, { 'content-length': 0 });
	res.end();
}

/** A short problem answer; the wording is for operators reading their proxy's logs, never secrets. */
export function sendProblem(res: ServerResponse, status: number, detail: string): void {
	// Refused before its body was read: the connection is closed rather than the body read to its end.
	if (!res.req.complete) res.setHeader('connection', 'close');
	sendJson(res, status, { status, detail });
}
