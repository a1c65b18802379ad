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
 * exact bytes, so the body is never parsed before it is verified.
 */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
	const declared = Number(req.headers['content-length'] ?? 0);
	if (declared > limitBytes) throw new BodyError(413, 'request body too large');
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
		size += buffer.length;
		if (size > limitBytes) throw new BodyError(413, 'request body too large');
		chunks.push(buffer);
	}
	return Buffer.concat(chunks);
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
	sendJson(res, status, { status, detail });
}
