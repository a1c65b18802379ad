import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Client } from 'discord.js';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Log } from '../log.ts';
import { callbackEndpoint, callbackKey } from './callbacks.ts';
import { checkHealth } from './health.ts';
import { interactionFeed, interactionsEndpoint } from './interactionsEndpoint.ts';
import { guardClientErrors, requestUrl, SERVER_LIMITS } from './guard.ts';
import { BodyError, sendJson, sendProblem, sendText } from './io.ts';
import { panelStats, type Metrics } from './metrics.ts';
import { discordPublicKey } from './verifySignature.ts';

/** The HTTP interactions endpoint's usual port when PORT is not set. */
export const DEFAULT_PORT = 8080;

/** The server runs when PORT is set, in HTTP interactions mode, or when callbacks need it (PUBLIC_URL). */
export function httpPort(config: Pick<Config, 'PORT' | 'INTERACTIONS_MODE' | 'PUBLIC_URL'>): number | undefined {
	if (config.PORT !== undefined) return config.PORT;
	return config.INTERACTIONS_MODE === 'http' || config.PUBLIC_URL ? DEFAULT_PORT : undefined;
}

export interface HttpServer {
	/** Where it listens, e.g. `http://127.0.0.1:8080` (the real port when PORT=0). */
	readonly url: string;
	close(): Promise<void>;
}

export interface HttpDeps {
	readonly config: Config;
	readonly log: Log;
	readonly db: Db;
	readonly client: Client;
	readonly metrics: Metrics;
	/** Wakes the poller (orchestrator callbacks). */
	readonly poke: () => Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
interface Route {
	readonly method: 'GET' | 'POST';
	readonly matches: (pathname: string) => boolean;
	readonly handle: Handler;
}

/** The bot's own HTTP server: health and metrics always, interactions and callbacks when configured. */
export async function startHttpServer(deps: HttpDeps, port: number): Promise<HttpServer> {
	const { config, metrics } = deps;
	const log = deps.log.child({ component: 'http' });
	metrics.collectProcessMetrics();
	const watch = metrics.watchPanels(panelStats(deps.db), log, { intervalMs: config.METRICS_REFRESH_SECONDS * 1000, dataDir: config.DATA_DIR });

	const health: Handler = async (_req, res) => {
		const discord = () => (config.INTERACTIONS_MODE === 'http' ? 'http' : deps.client.isReady() ? 'ready' : 'connecting');
		const result = await checkHealth({ ping: () => deps.db.$queryRaw`SELECT 1`, discord });
		sendJson(res, result.status === 'ok' ? 200 : 503, result);
	};
	const scrape: Handler = async (req, res) => {
		if (!allowedToScrape(config.METRICS_TOKEN, req.headers.authorization)) {
			res.setHeader('www-authenticate', 'Bearer');
			sendProblem(res, 401, 'a bearer token is required');
			return;
		}
		sendText(res, 200, await metrics.registry.metrics(), metrics.registry.contentType);
	};
	const routes: Route[] = [
		{ method: 'GET', matches: (path) => path === '/healthz', handle: health },
		{ method: 'GET', matches: (path) => path === '/metrics', handle: scrape },
	];
	if (config.INTERACTIONS_MODE === 'http' && config.DISCORD_PUBLIC_KEY) {
		const handle = interactionsEndpoint({ publicKey: discordPublicKey(config.DISCORD_PUBLIC_KEY), log, metrics, feed: interactionFeed(deps.client) });
		routes.push({ method: 'POST', matches: (path) => path === '/interactions', handle });
	}
	if (config.PUBLIC_URL) {
		const handle = callbackEndpoint({ key: callbackKey(config), db: deps.db, log, metrics, poke: deps.poke });
		routes.push({ method: 'POST', matches: (path) => path.startsWith('/callbacks/orchestrator/'), handle });
	}

	const dispatch = (req: IncomingMessage, res: ServerResponse): void => {
		const url = requestUrl(req.url);
		if (!url) {
			sendProblem(res, 400, 'bad request target');
			return;
		}
		const found = routes.filter((route) => route.matches(url.pathname));
		const route = found.find((candidate) => candidate.method === req.method);
		if (!route) {
			if (found.length > 0) res.setHeader('allow', found.map((candidate) => candidate.method).join(', '));
			sendProblem(res, found.length > 0 ? 405 : 404, found.length > 0 ? 'method not allowed' : 'not found');
			return;
		}
		route.handle(req, res, url).catch((error: unknown) => failed(req, res, error, url.pathname));
	};
	const failed = (req: IncomingMessage, res: ServerResponse, error: unknown, path: string | undefined): void => {
		if (error instanceof BodyError) {
			if (!res.headersSent) sendProblem(res, error.status, error.message);
			else res.destroy();
			return;
		}
		if (req.destroyed && !req.complete) {
			// The client went away mid-request: nothing to answer, nothing wrong on our side.
			log.debug({ method: req.method, path }, 'HTTP client left before its request was read');
			res.destroy();
			return;
		}
		// The path only: callback URLs carry their signature in the query.
		log.error({ err: error, method: req.method, path }, 'HTTP request failed');
		if (!res.headersSent) sendProblem(res, 500, 'internal error');
		else res.destroy();
	};
	const server = createServer(SERVER_LIMITS, (req, res) => {
		// The last guard: whatever a handler misses is one failed request, never the process.
		try {
			dispatch(req, res);
		} catch (error) {
			failed(req, res, error, undefined);
		}
	});
	guardClientErrors(server, log);
	// Behind a load balancer idle connections are reused; outlive its usual 60 s idle timeout.
	server.keepAliveTimeout = 65_000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, config.HOST, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('the HTTP server has no TCP address');
	const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	const url = `http://${host}:${address.port}`;
	log.info({ url, interactions: config.INTERACTIONS_MODE === 'http', callbacks: Boolean(config.PUBLIC_URL) }, 'HTTP server listening');

	return {
		url,
		close: async () => {
			watch.stop();
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeIdleConnections();
			// Requests in flight get a moment to finish; then the rest are cut.
			const cut = setTimeout(() => server.closeAllConnections(), 5_000);
			await closed;
			clearTimeout(cut);
		},
	};
}

/** Without METRICS_TOKEN anyone who reaches the port may scrape; with it, only its bearer, compared in constant time. */
function allowedToScrape(token: string | undefined, authorization: string | undefined): boolean {
	if (token === undefined) return true;
	const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
	// Digests of equal length, so neither the comparison nor an early length mismatch tells how close a guess was.
	return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(token).digest());
}
