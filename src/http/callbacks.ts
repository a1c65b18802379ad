import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { terminalStatuses, workflowStatuses } from '../civitai/orchestrator.ts';
import { type Db, drawingJobs } from '../db/database.ts';
import type { Log } from '../log.ts';
import { readBody, sendJson, sendProblem } from './io.ts';
import type { Metrics } from './metrics.ts';

/** A callback describing a workflow end older than this is refused: a real one comes within seconds. */
export const MAX_CALLBACK_AGE_MS = 15 * 60 * 1000;
/** How far ahead of our clock the orchestrator's may run. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const CALLBACK_PATH = '/callbacks/orchestrator/';

/**
 * The key that signs callback URLs. Derived, never the raw secret: the Civitai API key is then
 * never put into a URL, and every replica that shares the key (or CALLBACK_SECRET) signs alike
 * without another setting to distribute. See docs/decisions/004-scale.md.
 */
export function callbackKey(secrets: { CALLBACK_SECRET?: string | undefined; CIVITAI_API_TOKEN: string }): Buffer {
	return createHmac('sha256', secrets.CALLBACK_SECRET ?? secrets.CIVITAI_API_TOKEN)
		.update('comic-bot orchestrator callbacks v1')
		.digest();
}

export function signPanelId(key: Buffer, drawingId: string): string {
	return createHmac('sha256', key).update(drawingId).digest('base64url');
}

/** Where the orchestrator reports the end of a panel's workflow; the signature names the panel. */
export function callbackUrlFor(publicUrl: string, key: Buffer): (drawingId: string) => string {
	return (drawingId) => `${publicUrl}${CALLBACK_PATH}${encodeURIComponent(drawingId)}?sig=${signPanelId(key, drawingId)}`;
}

/** The callback body, after civitai.md: `{ $type: 'workflow', workflowId, status, timestamp }`. */
const callbackSchema = z.looseObject({
	$type: z.literal('workflow'),
	workflowId: z.string().min(1).max(200),
	status: z.string().min(1).max(50),
	timestamp: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date'),
});

export interface CallbackDeps {
	readonly key: Buffer;
	readonly db: Db;
	readonly log: Log;
	readonly metrics: Metrics;
	/** Runs a poll now; the poll reads the workflow itself before anything is shown. */
	readonly poke: () => Promise<void>;
	readonly now?: () => number;
}

type Verdict = { readonly status: number; readonly result: string; readonly detail: string };

/**
 * POST /callbacks/orchestrator/{drawingId}?sig=…: a hint that a workflow ended. The panel becomes
 * due at once and the poller is woken; the poller then reads the workflow, so a callback can never
 * decide a panel's result, only make it known sooner.
 */
export function callbackEndpoint(deps: CallbackDeps) {
	const now = deps.now ?? Date.now;
	return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
		const drawingId = drawingIdOf(url.pathname);
		const verdict =
			drawingId === undefined
				? { status: 404, result: 'unknown', detail: 'no such panel' }
				: await judge(deps, req, drawingId, url.searchParams.get('sig'), now());
		deps.metrics.callbacks.inc({ result: verdict.result });
		const log = deps.log.child({ drawingId: drawingId ?? 'malformed' });
		if (verdict.status === 200) {
			log.info('orchestrator callback: the panel is due now');
			void deps.poke();
			sendJson(res, 200, { accepted: true });
			return;
		}
		log[verdict.status === 401 ? 'warn' : 'info']({ status: verdict.status, result: verdict.result }, 'orchestrator callback refused or ignored');
		if (verdict.status === 202) sendJson(res, 202, { accepted: false, detail: verdict.detail });
		else sendProblem(res, verdict.status, verdict.detail);
	};
}

async function judge(deps: CallbackDeps, req: IncomingMessage, drawingId: string, sig: string | null, now: number): Promise<Verdict> {
	if (!sig || !sameSignature(sig, signPanelId(deps.key, drawingId))) return { status: 401, result: 'forged', detail: 'missing or wrong signature' };
	const text = (await readBody(req, 64 * 1024)).toString('utf8');
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return { status: 400, result: 'invalid', detail: 'the body is not JSON' };
	}
	const parsed = callbackSchema.safeParse(json);
	if (!parsed.success) return { status: 400, result: 'invalid', detail: 'the body is not a workflow callback' };
	const callback = parsed.data;
	const at = Date.parse(callback.timestamp);
	if (now - at > MAX_CALLBACK_AGE_MS || at - now > CLOCK_SKEW_MS) return { status: 400, result: 'stale', detail: 'the timestamp is too old or in the future' };

	const known = workflowStatuses.find((status) => status === callback.status);
	const terminal = known !== undefined && terminalStatuses.has(known);
	// The common case in one statement: an end of the workflow the drawing waits for makes it due now.
	// Anything else is read to tell why it changes nothing.
	if (terminal && (await drawingJobs(deps.db).makeDueWhileGenerating(drawingId, callback.workflowId, new Date(now))))
		return { status: 200, result: 'accepted', detail: 'due now' };
	const panel = await deps.db.drawing.findUnique({ where: { id: drawingId }, select: { workflowId: true, status: true } });
	if (!panel) return { status: 404, result: 'unknown', detail: 'no such panel' };
	if (panel.workflowId !== callback.workflowId) return { status: 409, result: 'mismatch', detail: "this workflow is not the panel's" };
	if (panel.status !== 'generating' || terminal) return { status: 409, result: 'replayed', detail: "this panel's workflow was already handled" };
	// Only an end is worth a read now; "processing" and the like change nothing for the panel.
	return { status: 202, result: 'ignored', detail: 'not a terminal status' };
}

function drawingIdOf(pathname: string): string | undefined {
	try {
		const id = decodeURIComponent(pathname.slice(CALLBACK_PATH.length));
		return id.length > 0 && id.length <= 64 && !id.includes('/') ? id : undefined;
	} catch {
		return undefined;
	}
}

function sameSignature(given: string, expected: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}
