// HTTP plumbing for the fake Discord: request records, body parsing, routing, fault injection and
// Discord-shaped error answers. Nothing here knows about messages or interactions.
import { type IncomingHttpHeaders, type IncomingMessage, STATUS_CODES } from 'node:http';
import { ApiError, type UploadedFile } from './discord-messages.ts';
import { multipartBoundary, parseMultipart } from './multipart.ts';

export interface RecordedRequest {
	method: string;
	/** Decoded path without the `/api/vN` prefix, e.g. '/webhooks/APP/TOKEN/messages/@original'. */
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	/** The JSON body, or for multipart the parsed `payload_json`. */
	json: unknown;
	files: UploadedFile[];
	/** What the fake answered; 0 while the answer is still pending (stalled requests). */
	status: number;
	at: number;
}

export interface RequestMatch {
	method?: string;
	path?: RegExp;
}

export interface Fault {
	status: number;
	code?: number;
	message?: string;
	/** Seconds; sets Retry-After and `retry_after`. */
	retryAfter?: number;
	times?: number;
	/** Stall this long before answering with the fault. */
	delayMs?: number;
}

export interface Answer {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
	raw?: { data: Buffer; contentType: string };
}

export interface Route {
	method: string;
	pattern: string[];
	auth: boolean;
	handle(req: RecordedRequest, param: (name: string) => string): Answer | Promise<Answer>;
}

export const json = (body: unknown, status = 200): Answer => ({ status, body });
export const noContent: Answer = { status: 204 };
export const notFound = (): Answer => json({ code: 0, message: '404: Not Found' }, 404);

export function route(method: string, path: string, auth: boolean, handle: Route['handle']): Route {
	return { method, pattern: path.split('/').filter((segment) => segment !== ''), auth, handle };
}

/** Finds the route for a request; 405 when only the method is wrong, 401 before touching auth routes. */
export async function dispatchRoute(routes: Route[], req: RecordedRequest, authorized: boolean): Promise<Answer> {
	const segments = req.path.split('/').filter((segment) => segment !== '');
	let pathMatched = false;
	for (const candidate of routes) {
		if (candidate.pattern.length !== segments.length) continue;
		const params = new Map<string, string>();
		const matches = candidate.pattern.every((part, i) => {
			const segment = segments[i] ?? '';
			if (part.startsWith(':')) params.set(part.slice(1), segment);
			return part.startsWith(':') || part === segment;
		});
		if (!matches) continue;
		pathMatched = true;
		if (candidate.method !== req.method) continue;
		if (candidate.auth && !authorized) return json({ code: 0, message: '401: Unauthorized' }, 401);
		return candidate.handle(req, (name) => {
			const value = params.get(name);
			if (value === undefined) throw new Error(`Route ${candidate.pattern.join('/')} has no parameter ${name}`);
			return value;
		});
	}
	return pathMatched ? json({ code: 0, message: '405: Method Not Allowed' }, 405) : notFound();
}

interface FaultRule {
	match: RequestMatch;
	remaining: number;
	delayMs: number;
	fault?: Fault;
}

/** Queued faults and stalls; the first rule that matches a request is used up by it. */
export class FaultQueue {
	private readonly rules: FaultRule[] = [];

	add(match: RequestMatch, times: number, delayMs: number, fault?: Fault): void {
		const rule: FaultRule = { match, remaining: times, delayMs };
		if (fault) rule.fault = fault;
		this.rules.push(rule);
	}

	take(req: RecordedRequest): { delayMs: number; fault?: Fault } | undefined {
		const index = this.rules.findIndex(({ match }) => {
			if (match.method !== undefined && match.method.toUpperCase() !== req.method) return false;
			if (match.path) {
				// A /g or /y regex keeps lastIndex between calls; reset it so matching is stateless.
				match.path.lastIndex = 0;
				if (!match.path.test(req.path)) return false;
			}
			return true;
		});
		const rule = this.rules[index];
		if (!rule) return undefined;
		rule.remaining--;
		if (rule.remaining <= 0) this.rules.splice(index, 1);
		return rule;
	}
}

export function faultAnswer(fault: Fault): Answer {
	const headers: Record<string, string> = {};
	const defaultMessage = fault.status === 429 ? 'You are being rate limited.' : `${fault.status}: ${STATUS_CODES[fault.status] ?? 'Error'}`;
	const body: Record<string, unknown> = { code: fault.code ?? 0, message: fault.message ?? defaultMessage };
	if (fault.retryAfter !== undefined) {
		headers['retry-after'] = String(fault.retryAfter);
		body['retry_after'] = fault.retryAfter;
	}
	if (fault.status === 429) {
		headers['x-ratelimit-scope'] = 'user';
		body['global'] = false;
		if (fault.retryAfter !== undefined) {
			// Discord's bucket 429s carry an exhausted bucket; @discordjs/rest then waits for the reset
			// and emits `rateLimited`, exactly as it does in production.
			headers['x-ratelimit-limit'] = '5';
			headers['x-ratelimit-remaining'] = '0';
			headers['x-ratelimit-reset-after'] = String(fault.retryAfter);
			headers['x-ratelimit-reset'] = String(Date.now() / 1000 + fault.retryAfter);
		}
	}
	return { status: fault.status, body, headers };
}

export function errorAnswer(error: unknown): Answer {
	if (error instanceof ApiError) return json(error.body(), error.status);
	// A bug in the fake should be loud in the test output, not look like a Discord outage.
	const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
	return json({ code: 0, message: `Fake Discord error: ${detail}` }, 500);
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
	return Buffer.concat(chunks);
}

/** Fills `json` and `files` of a record from a JSON or multipart body. */
export function parseRequestBody(req: RecordedRequest, body: Buffer): void {
	if (body.length === 0) return;
	const contentType = req.headers['content-type'];
	if (!multipartBoundary(contentType)) {
		if (contentType?.includes('json')) req.json = parseJson(body);
		return;
	}
	let parts: ReturnType<typeof parseMultipart>;
	try {
		parts = parseMultipart(body, contentType);
	} catch (error) {
		throw new ApiError(400, 50035, `Invalid Form Body: ${error instanceof Error ? error.message : String(error)}`);
	}
	const fields: Record<string, unknown> = {};
	for (const part of parts) {
		if (part.filename !== undefined) {
			const contentType = part.contentType ?? 'application/octet-stream';
			req.files.push({ field: part.name, filename: part.filename, contentType, data: part.data });
		} else if (part.name === 'payload_json') {
			req.json = parseJson(part.data);
		} else {
			fields[part.name] = part.data.toString('utf8');
		}
	}
	// Discord also accepts plain form fields instead of payload_json.
	if (req.json === undefined && Object.keys(fields).length > 0) req.json = fields;
}

function parseJson(data: Buffer): unknown {
	try {
		return JSON.parse(data.toString('utf8'));
	} catch {
		throw new ApiError(400, 50109, 'The request body contains invalid JSON.');
	}
}

export function decodePath(path: string): string {
	return path
		.split('/')
		.map((segment) => {
			try {
				return decodeURIComponent(segment);
			} catch {
				return segment;
			}
		})
		.join('/');
}
