// Shared machinery for the fake HTTP services: a real node:http server on 127.0.0.1 with a random
// port, request recording, fault injection and stalls. Only node built-ins, so the fakes exercise
// the production HTTP stack (fetch, the openai client) exactly as the real services would.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export interface RecordedRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	body: unknown;
	/** 0 until the answer has been sent. */
	status: number;
	at: number;
}

export interface FakeRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	/** Parsed JSON when it parses, else the raw text, undefined when empty. */
	body: unknown;
	/** The bytes as received (binary uploads). */
	raw?: Buffer;
}

export interface FakeResponse {
	status: number;
	/** A Buffer is sent as is, a string as text, undefined as an empty body, anything else as JSON. */
	body?: unknown;
	headers?: Record<string, string>;
	/** Instead of `body`: `count` copies of `chunk`, chunked (no Content-Length), as fast as the client reads; stops when it leaves. */
	stream?: { chunk: Buffer; count: number; onWritten: (bytes: number) => void };
}

export type FakeHandler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface RequestMatch {
	method?: string;
	path?: RegExp;
}

export interface Fault {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
	times?: number;
	delayMs?: number;
}

/** What every fake exposes to tests. */
export interface BaseFake {
	readonly url: string;
	readonly requests: RecordedRequest[];
	failNext(match: RequestMatch, fault: Fault): void;
	stallNext(match: RequestMatch, ms: number): void;
	close(): Promise<void>;
}

/** The base plus helpers the fakes themselves need (tracked timers that close() cancels). */
export interface FakeHttpServer extends BaseFake {
	readonly origin: string;
	isClosed(): boolean;
	/** Resolves after ms, or at once when the server closes, so no handler outlives close(). */
	delay(ms: number): Promise<void>;
	/** A timer that close() cancels. */
	schedule(fn: () => void, ms: number): () => void;
}

export interface StartOptions {
	/** The body a fault answers with when the test gave none (each service has its own error shape). */
	faultResponse?: (status: number) => FakeResponse;
	/** Answers a request before faults, stalls and the handler when it returns a response (e.g. a rate limit still running). */
	gate?: (req: FakeRequest) => FakeResponse | undefined;
	/** Sees every answer at the moment it is sent. */
	onAnswer?: (req: FakeRequest, response: FakeResponse) => void;
}

// setTimeout fires at once for delays beyond 2^31-1 ms, which would turn "stall forever" into "no stall".
const MAX_TIMER_MS = 2_147_483_647;

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

export function parseBody(raw: Buffer): unknown {
	if (raw.length === 0) return undefined;
	const text = raw.toString('utf8');
	try {
		const parsed: unknown = JSON.parse(text);
		return parsed;
	} catch {
		return text;
	}
}

export function send(res: ServerResponse, response: FakeResponse): void {
	if (res.destroyed || res.writableEnded) return;
	if (response.stream) {
		sendStream(res, response.status, response.headers ?? {}, response.stream);
		return;
	}
	const { status, body } = response;
	let payload: Buffer;
	let contentType: string | undefined;
	if (body === undefined) {
		payload = Buffer.alloc(0);
	} else if (Buffer.isBuffer(body)) {
		payload = body;
		contentType = 'application/octet-stream';
	} else if (typeof body === 'string') {
		payload = Buffer.from(body, 'utf8');
		contentType = 'text/plain; charset=utf-8';
	} else {
		payload = Buffer.from(JSON.stringify(body), 'utf8');
		contentType = 'application/json; charset=utf-8';
	}
	const headers: Record<string, string> = {};
	if (contentType !== undefined) headers['content-type'] = contentType;
	// Test-supplied headers win, e.g. a problem+json content type or Retry-After.
	for (const [name, value] of Object.entries(response.headers ?? {})) headers[name.toLowerCase()] = value;
	headers['content-length'] = String(payload.length);
	res.writeHead(status, headers);
	res.end(payload);
}

function sendStream(res: ServerResponse, status: number, headers: Record<string, string>, stream: NonNullable<FakeResponse['stream']>): void {
	res.writeHead(status, headers);
	let left = stream.count;
	const pump = (): void => {
		while (left > 0 && !res.destroyed) {
			left--;
			const more = res.write(stream.chunk, (error) => {
				if (!error) stream.onWritten(stream.chunk.length);
			});
			if (!more) {
				res.once('drain', pump);
				return;
			}
		}
		if (left === 0 && !res.destroyed) res.end();
	};
	pump();
}

function matches(match: RequestMatch, req: FakeRequest): boolean {
	if (match.method !== undefined && match.method.toUpperCase() !== req.method) return false;
	if (match.path !== undefined && !match.path.test(req.path)) return false;
	return true;
}

export function baseFake(server: FakeHttpServer): BaseFake {
	return { url: server.url, requests: server.requests, failNext: server.failNext, stallNext: server.stallNext, close: server.close };
}

export async function startHttpFake(handler: FakeHandler, options: StartOptions = {}): Promise<FakeHttpServer> {
	const requests: RecordedRequest[] = [];
	const faults: { match: RequestMatch; fault: Fault; left: number }[] = [];
	const stalls: { match: RequestMatch; ms: number }[] = [];
	const timers = new Set<{ timer: NodeJS.Timeout; fire: () => void }>();
	let closed = false;

	const schedule = (fn: () => void, ms: number): (() => void) => {
		const entry = {
			timer: setTimeout(
				() => {
					timers.delete(entry);
					fn();
				},
				Math.min(Math.max(ms, 0), MAX_TIMER_MS),
			),
			fire: (): void => {},
		};
		timers.add(entry);
		return () => {
			clearTimeout(entry.timer);
			timers.delete(entry);
		};
	};
	const delay = (ms: number): Promise<void> =>
		new Promise((resolve) => {
			if (closed || ms <= 0) return resolve();
			const entry = {
				timer: setTimeout(
					() => {
						timers.delete(entry);
						resolve();
					},
					Math.min(ms, MAX_TIMER_MS),
				),
				fire: resolve,
			};
			timers.add(entry);
		});

	const takeFault = (req: FakeRequest): Fault | undefined => {
		const index = faults.findIndex((f) => matches(f.match, req));
		const found = faults[index];
		if (found === undefined) return undefined;
		found.left -= 1;
		if (found.left <= 0) faults.splice(index, 1);
		return found.fault;
	};
	const takeStall = (req: FakeRequest): number => {
		const index = stalls.findIndex((s) => matches(s.match, req));
		const found = stalls[index];
		if (found === undefined) return 0;
		stalls.splice(index, 1);
		return found.ms;
	};

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const at = Date.now();
		const parsedUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
		let raw: Buffer;
		try {
			raw = await readBody(req);
		} catch {
			return;
		}
		const request: FakeRequest = {
			method: (req.method ?? 'GET').toUpperCase(),
			path: parsedUrl.pathname,
			query: parsedUrl.searchParams,
			headers: req.headers,
			body: parseBody(raw),
			raw,
		};
		const record: RecordedRequest = { ...request, status: 0, at };
		requests.push(record);
		const gated = options.gate?.(request);
		const fault = gated === undefined ? takeFault(request) : undefined;
		const stallMs = gated === undefined ? takeStall(request) : 0;
		let response: FakeResponse;
		try {
			await delay(stallMs);
			if (gated !== undefined) {
				response = gated;
			} else if (fault !== undefined) {
				await delay(fault.delayMs ?? 0);
				const fallback = options.faultResponse?.(fault.status) ?? { status: fault.status, body: { error: 'Injected fault' } };
				response = {
					status: fault.status,
					body: fault.body ?? fallback.body,
					headers: { ...(fault.body === undefined ? fallback.headers : {}), ...fault.headers },
				};
			} else {
				response = await handler(request);
			}
		} catch (error) {
			// A bug in a fake must surface as a 500 the test can see, not as a hung request.
			response = { status: 500, body: { error: error instanceof Error ? error.message : String(error) } };
		}
		record.status = response.status;
		if (closed) return;
		options.onAnswer?.(request, response);
		send(res, response);
	};

	const server = createServer((req, res) => {
		void handle(req, res);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('fake server has no TCP address');
	const origin = `http://127.0.0.1:${address.port}`;

	const close = async (): Promise<void> => {
		if (closed) return;
		closed = true;
		// Release stalled handlers so nothing keeps the event loop (or vitest) waiting.
		for (const entry of timers) {
			clearTimeout(entry.timer);
			entry.fire();
		}
		timers.clear();
		const done = new Promise<void>((resolve) => server.close(() => resolve()));
		server.closeAllConnections();
		await done;
	};

	return {
		url: origin,
		origin,
		requests,
		failNext: (match, fault) => {
			faults.push({ match, fault, left: fault.times ?? 1 });
		},
		stallNext: (match, ms) => {
			stalls.push({ match, ms });
		},
		close,
		isClosed: () => closed,
		delay,
		schedule,
	};
}
