import { connect } from 'node:net';

export interface RawAnswer {
	/** The status line's code, or 0 when the server closed without answering. */
	readonly status: number;
	readonly text: string;
	/** Whether the server closed the connection (rather than the test giving up). */
	readonly closed: boolean;
}

/**
 * Writes `parts` to a fresh TCP connection to `port` (each a separate write) and collects what
 * comes back until the server closes the connection or `waitMs` passes: bytes no HTTP client
 * library would send.
 */
export function rawHttp(port: number, parts: readonly (string | Buffer)[], waitMs = 5_000): Promise<RawAnswer> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		const chunks: Buffer[] = [];
		let settled = false;
		const finish = (closed: boolean) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			socket.destroy();
			const text = Buffer.concat(chunks).toString('latin1');
			const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
			resolve({ status, text, closed });
		};
		const timer = setTimeout(() => finish(false), waitMs);
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.on('close', () => finish(true));
		socket.on('error', () => finish(true));
		socket.on('connect', () => {
			for (const part of parts) if (!socket.destroyed) socket.write(part);
		});
	});
}
