import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Log } from '../log.ts';

/**
 * Limits of the HTTP server against slow and hostile clients. Discord's and the orchestrator's
 * requests are small and quick: a client that has not sent its headers in 10 s or its whole
 * request in 20 s is cut off; headers beyond 16 KiB are refused (431).
 */
export const SERVER_LIMITS = {
	maxHeaderSize: 16 * 1024,
	headersTimeout: 10_000,
	requestTimeout: 20_000,
	// How often Node looks for connections past those timeouts (its default, 30 s, would let a slow client stay 40 s).
	connectionsCheckingInterval: 1_000,
} as const;

/** Longer request-targets are refused: no route of ours comes near, and a long one only costs parsing. */
const MAX_TARGET_LENGTH = 2_048;

/**
 * The request-target as a URL, or undefined when it is not a plain origin-form path. Node's parser
 * accepts targets (`//[/`, `*`, absolute forms) that WHATWG URL throws on: parsed here, never in
 * a place where a throw escapes the request listener.
 */
export function requestUrl(target: string | undefined): URL | undefined {
	if (target === undefined || target.length > MAX_TARGET_LENGTH || !target.startsWith('/') || target.startsWith('//')) return undefined;
	try {
		return new URL(target, 'http://bot.invalid');
	} catch {
		return undefined;
	}
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Payload Too Large', 431: 'Request Header Fields Too Large' };

/**
 * Requests Node cannot parse (bad framing, oversized headers, timeouts) never reach the listener:
 * they get a bare 4xx and the connection is closed. A socket already gone is just released.
 */
export function guardClientErrors(server: Server, log: Log): void {
	server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
		log.debug({ code: error.code }, 'HTTP client error');
		if (error.code === 'ECONNRESET' || !socket.writable) {
			socket.destroy();
			return;
		}
		const status =
			error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW' ? 413 : 400;
		socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
		// A client that stops reading does not hold the socket open.
		socket.setTimeout(1_000, () => socket.destroy());
	});
}
