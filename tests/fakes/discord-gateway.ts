// The fake Discord gateway: JSON payloads with HELLO, IDENTIFY → READY, heartbeats and RESUME, in
// plain text frames, or with `compress=zlib-stream` (what discord.js asks for when zlib-sync is
// installed) as Discord sends them: one zlib stream per connection, each payload a binary frame
// ending in a sync flush (00 00 ff ff).
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Deflate, Z_SYNC_FLUSH } from 'pako';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { isRecord } from './discord-interactions.ts';

interface GatewaySocket {
	ws: WebSocket;
	/** IDENTIFY or RESUME succeeded and the socket has not been dropped. */
	ready: boolean;
	seq: number;
	/** The connection's zlib stream, when the client asked for `compress=zlib-stream`. */
	zlib?: ZlibStream;
}

export interface GatewayOptions {
	url: string;
	botToken: string;
	/** READY's `d` without `session_id` and `resume_gateway_url`, which the gateway fills in. */
	readyData: () => Record<string, unknown>;
}

export class FakeGateway {
	private readonly wss = new WebSocketServer({ noServer: true });
	private readonly sockets = new Set<GatewaySocket>();
	private readonly sessions = new Set<string>();

	constructor(private readonly options: GatewayOptions) {
		this.wss.on('connection', (ws: WebSocket, req: IncomingMessage) => this.onConnection(ws, req));
	}

	attach(server: Server): void {
		server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
			// discord.js appends ?v=10&encoding=json; anything but /gateway is refused.
			if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname.replace(/\/$/, '') !== '/gateway') {
				socket.destroy();
				return;
			}
			this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
		});
	}

	/** How many connections use zlib-stream compression. */
	get compressedConnections(): number {
		let count = 0;
		for (const socket of this.sockets) if (socket.zlib) count++;
		return count;
	}

	get connections(): number {
		let count = 0;
		for (const socket of this.sockets) if (socket.ready) count++;
		return count;
	}

	dispatch(event: string, data: unknown): void {
		for (const socket of this.sockets) if (socket.ready) this.sendDispatch(socket, event, data);
	}

	drop(code: number): void {
		for (const socket of this.sockets) {
			socket.ready = false;
			socket.ws.close(code, 'dropped by the fake');
		}
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.ws.terminate();
		this.sockets.clear();
		await new Promise<void>((resolve) => this.wss.close(() => resolve()));
	}

	private onConnection(ws: WebSocket, req: IncomingMessage): void {
		const socket: GatewaySocket = { ws, ready: false, seq: 0 };
		const compress = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('compress');
		if (compress === 'zlib-stream') socket.zlib = new ZlibStream(ws);
		else if (compress !== null) {
			ws.close(4000, 'Unknown compression.');
			return;
		}
		this.sockets.add(socket);
		ws.on('close', () => this.sockets.delete(socket));
		// A client vanishing mid-frame is normal in reconnect tests; there is nothing to report.
		ws.on('error', () => this.sockets.delete(socket));
		ws.on('message', (raw: RawData) => this.onFrame(socket, raw));
		this.send(socket, { op: 10, d: { heartbeat_interval: 41250 }, s: null, t: null });
	}

	private onFrame(socket: GatewaySocket, raw: RawData): void {
		let frame: unknown;
		try {
			const bytes = Buffer.isBuffer(raw) ? raw : Buffer.concat(Array.isArray(raw) ? raw : [Buffer.from(raw)]);
			frame = JSON.parse(bytes.toString('utf8'));
		} catch {
			socket.ws.close(4002, 'Error while decoding payload.');
			return;
		}
		if (!isRecord(frame)) return;
		const d = isRecord(frame['d']) ? frame['d'] : {};
		const token = typeof d['token'] === 'string' ? d['token'].replace(/^Bot\s+/i, '') : undefined;
		const tokenOk = token === this.options.botToken;
		switch (frame['op']) {
			case 1:
				this.send(socket, { op: 11 });
				break;
			case 2: {
				if (!tokenOk || socket.ready) {
					socket.ws.close(tokenOk ? 4005 : 4004, tokenOk ? 'Already authenticated.' : 'Authentication failed.');
					break;
				}
				const sessionId = `fake-session-${this.sessions.size + 1}`;
				this.sessions.add(sessionId);
				socket.ready = true;
				this.sendDispatch(socket, 'READY', {
					...this.options.readyData(),
					session_id: sessionId,
					resume_gateway_url: this.options.url,
				});
				break;
			}
			case 6: {
				const sessionId = d['session_id'];
				if (!tokenOk || typeof sessionId !== 'string' || !this.sessions.has(sessionId)) {
					this.send(socket, { op: 9, d: false, s: null, t: null });
					break;
				}
				socket.ready = true;
				socket.seq = typeof d['seq'] === 'number' ? d['seq'] : 0;
				// Missed events are not replayed: interactions sent while disconnected are lost, as on
				// Discord once they time out.
				this.sendDispatch(socket, 'RESUMED', {});
				break;
			}
			default:
				// Presence updates, member requests and the like need no answer here.
				break;
		}
	}

	private sendDispatch(socket: GatewaySocket, event: string, data: unknown): void {
		socket.seq++;
		this.send(socket, { op: 0, t: event, s: socket.seq, d: data });
	}

	private send(socket: GatewaySocket, frame: unknown): void {
		if (socket.ws.readyState !== socket.ws.OPEN) return;
		const payload = JSON.stringify(frame);
		if (socket.zlib) socket.zlib.send(payload);
		else socket.ws.send(payload);
	}
}

/**
 * One zlib stream per connection; each payload is deflated with a sync flush into a binary frame of
 * its own, at once, so a burst of dispatches is written together as Discord would write it.
 */
class ZlibStream {
	private readonly deflate = new Deflate();
	private output: Uint8Array[] = [];

	constructor(private readonly ws: WebSocket) {
		this.deflate.onData = (chunk) => {
			this.output.push(chunk);
		};
	}

	send(payload: string): void {
		if (!this.deflate.push(payload, Z_SYNC_FLUSH)) {
			this.ws.terminate();
			return;
		}
		const frame = Buffer.concat(this.output);
		this.output = [];
		this.ws.send(frame, { binary: true });
	}
}
