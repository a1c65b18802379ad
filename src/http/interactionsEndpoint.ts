import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import { GatewayDispatchEvents, type Client } from 'discord.js';
import { z } from 'zod';
import type { Log } from '../log.ts';
import { readBody, sendEmpty, sendJson, sendProblem } from './io.ts';
import type { Metrics } from './metrics.ts';
import { checkSignature, checkSignatureHeaders } from './verifySignature.ts';

const PING = 1;
/** Interaction payloads are small; resolved data of a large command stays far below this. */
const MAX_BODY_BYTES = 1024 * 1024;
const snowflake = z.string().regex(/^\d{17,20}$/);

/** The fields every interaction carries; the rest is discord.js's to read, as from the gateway. */
const interactionSchema = z.looseObject({
	id: snowflake,
	application_id: snowflake,
	type: z.number().int(),
	token: z.string().min(1),
});

export interface InteractionsEndpointDeps {
	readonly publicKey: KeyObject;
	readonly log: Log;
	readonly metrics: Metrics;
	/** Turns a raw payload into a discord.js Interaction and emits it, as a gateway dispatch would. */
	readonly feed: (payload: Record<string, unknown>) => void;
	readonly now?: () => number;
}

/**
 * POST /interactions: Discord's HTTP delivery of interactions. After the signature check, a PING
 * is answered PONG; anything else is answered 202 at once and handed to the same dispatcher and
 * handlers as in gateway mode, which answer through the REST callback endpoint as they always
 * do. Nothing is kept between requests, so any replica can take any request.
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#receiving-an-interaction
 */
export function interactionsEndpoint(deps: InteractionsEndpointDeps) {
	const now = deps.now ?? Date.now;
	return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const headers = { signature: header(req, 'x-signature-ed25519'), timestamp: header(req, 'x-signature-timestamp') };
		const refuse = (reason: string) => {
			// Discord sends bad signatures on purpose now and then: expected, not alarming.
			deps.metrics.interactions.inc({ result: `refused_${reason}` });
			deps.log.info({ reason }, 'refused an interaction request: bad signature');
			sendProblem(res, 401, 'invalid request signature');
		};
		// Headers first: a request that cannot be Discord's is refused before a byte of its body is read.
		const early = checkSignatureHeaders(headers, now());
		if (!early.ok) return refuse(early.reason);
		const body = await readBody(req, MAX_BODY_BYTES);
		const check = checkSignature(deps.publicKey, headers, body, now());
		if (!check.ok) return refuse(check.reason);
		let json: unknown;
		try {
			json = JSON.parse(body.toString('utf8'));
		} catch {
			json = undefined;
		}
		const parsed = interactionSchema.safeParse(json);
		if (!parsed.success) {
			deps.metrics.interactions.inc({ result: 'invalid' });
			sendProblem(res, 400, 'not an interaction');
			return;
		}
		const interaction = parsed.data;
		if (interaction.type === PING) {
			deps.metrics.interactions.inc({ result: 'pong' });
			sendJson(res, 200, { type: PING });
			return;
		}
		deps.metrics.interactions.inc({ result: 'accepted' });
		// "respond to the original HTTP request with a 202 and no body", then answer over REST.
		sendEmpty(res, 202);
		setImmediate(() => {
			try {
				deps.feed(interaction);
			} catch (error) {
				deps.log.error({ err: error, interactionId: interaction.id }, 'discord.js could not read an interaction payload');
			}
		});
	};
}

function header(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/**
 * Without a gateway connection, discord.js still builds interactions from raw payloads through
 * the action its gateway handler uses, so HTTP mode gets the very same Interaction classes. The
 * action is internal: its presence is checked once at start, so that a discord.js upgrade that
 * moves it fails the start, not the first user.
 */
export function interactionFeed(client: Client): (payload: Record<string, unknown>) => void {
	const actions: unknown = Reflect.get(client, 'actions');
	const action: unknown = isObject(actions) ? Reflect.get(actions, 'InteractionCreate') : undefined;
	const handle: unknown = isObject(action) ? Reflect.get(action, 'handle') : undefined;
	if (!isObject(action) || typeof handle !== 'function')
		throw new Error('this discord.js version has no client.actions.InteractionCreate.handle, which HTTP interactions mode needs');
	return (payload) => {
		// As the gateway does: raw dispatch listeners first (InteractionChannels reads the channel there), then the action.
		client.ws.emit(GatewayDispatchEvents.InteractionCreate, payload, 0);
		Reflect.apply(handle, action, [payload]);
	};
}

/** REST calls with the bot token, without logging in to the gateway (HTTP interactions mode). */
export function useTokenWithoutGateway(client: Client, token: string): void {
	client.token = token;
	client.rest.setToken(token);
}

function isObject(value: unknown): value is object {
	return typeof value === 'object' && value !== null;
}
