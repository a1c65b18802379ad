// A fake of Civitai's orchestrator (workflows API), after /work/shared/reference/civitai.md: bearer auth,
// problem-details errors, time-driven status progression, signed image URLs that expire, externalId
// idempotency, cancellation and callbacks. Tests steer it through `behaviour` and the manual controls.
import { randomBytes, createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { baseFake, isRecord, startHttpFake } from './http.ts';
import { imageGenPrice, imageGenSchemaFor, imageGenTakes } from './imageGenTypes.ts';
import type { BaseFake, FakeRequest, FakeResponse } from './http.ts';

export type WorkflowOutcome = 'succeeded' | 'failed' | 'expired' | 'canceled';
export type WorkflowStatus = 'unassigned' | 'preparing' | 'scheduled' | 'processing' | WorkflowOutcome;

export interface WorkflowBehaviour {
	/** Time from creation to the outcome; Infinity stays `processing` until complete(id). */
	durationMs: number;
	outcome: WorkflowOutcome;
	image?: Buffer;
	/** 'pg' | 'pg13' | 'r' | 'x' | 'xxx'. */
	nsfwLevel?: string;
	blockedReason?: string;
	mime?: string;
	/** Whether jobs carry queuePosition.startAt/completeAt (default true). */
	reportEstimate?: boolean;
	/** Jobs ahead in the queue at submission; the count falls to 0 over the scheduled phase (default 0). */
	queueAhead?: number;
	/** Part of `durationMs` spent scheduled (queued) before processing (default 0.2). */
	queuedShare?: number;
	/** The job's `reason` when it fails (e.g. 'no_provider_available'); default a generic text. */
	jobReason?: string;
	/**
	 * How the image URL answers (default: the picture). `redirect-same`: a 302 to another signed URL on
	 * this server; `redirect-foreign`: a 302 to the same picture under another host name (`localhost`);
	 * `oversized`: a chunked body of 200 MiB with no Content-Length (see `imageBytesStreamed`).
	 */
	imageServing?: 'picture' | 'redirect-same' | 'redirect-foreign' | 'oversized';
}

export type BehaviourFn = (body: Record<string, unknown>, workflowId: string) => Partial<WorkflowBehaviour>;

export interface FakeWorkflow {
	id: string;
	body: Record<string, unknown>;
	createdAt: number;
	behaviour: Required<Omit<WorkflowBehaviour, 'image' | 'blockedReason' | 'jobReason' | 'imageServing'>> & { blockedReason?: string; jobReason?: string };
	images: { blobId: string; bytes: Buffer }[];
	jobId: string;
	final?: { status: WorkflowOutcome; at: number };
	/** The bearer token that created it: like the real service, other keys do not see it. */
	key: string;
	cancelTimer?: () => void;
}

export interface Submission {
	body: unknown;
	query: URLSearchParams;
	at: number;
}
export interface CallbackDelivery {
	url: string;
	payload: unknown;
	status: number;
	at: number;
}

/** One authenticated call and the bearer token it carried. */
export interface KeyedCall {
	method: string;
	path: string;
	key: string;
}

/** A request that came before the end of the wait a 429 of the same kind had asked for. */
export interface EarlyRequest {
	/** Method and route, ids left out: `GET /v2/consumer/workflows/:id`. */
	kind: string;
	at: number;
	/** When the wait ended: the moment the 429 was sent plus its Retry-After. */
	allowedAt: number;
}

export interface FakeOrchestrator extends BaseFake {
	/** The bot's own key. */
	token: string;
	/** Other accepted keys (users' own); a call with any other bearer token gets 401. */
	readonly keys: Set<string>;
	/** Every call that carried a bearer token, accepted or not, with that token. */
	readonly calls: KeyedCall[];
	/** Requests that came before a Retry-After of their kind had passed, counted from when the 429 was sent. */
	readonly earlyRequests: EarlyRequest[];
	/** Whether an early request is answered 429 again (with the Retry-After still to run), as a strict service would. Off by default. */
	refuseEarly: boolean;
	imageTtlMs: number;
	behaviour: BehaviourFn;
	/** Every valid POST, including whatif previews and idempotent repeats (see `query`). */
	readonly submissions: Submission[];
	/** Created workflows by id. */
	readonly workflows: Map<string, FakeWorkflow>;
	readonly cancellations: string[];
	readonly callbackDeliveries: CallbackDelivery[];
	readonly reads: number;
	readonly imageDownloads: number;
	/** Bytes of `oversized` image bodies handed to the network so far: far below 200 MiB when the client stopped reading. */
	readonly imageBytesStreamed: number;
	/** Image requests that arrived under another host name than 127.0.0.1 (followed `redirect-foreign`s). */
	readonly foreignImageRequests: number;
	readsFor(id: string): number;
	completedAt(id: string): number | undefined;
	/** Ends the workflow now, with the given outcome or the one its behaviour planned. */
	complete(id: string, outcome?: WorkflowOutcome): void;
	/** Changes the outcome the workflow will reach at its planned time. */
	setOutcome(id: string, outcome: WorkflowOutcome): void;
	expireImageUrls(): void;
	/** Pictures uploaded to the blob store (POST /v2/consumer/blobs), in order. */
	readonly uploads: { blobId: string; bytes: Buffer; mime: string; key: string }[];
	/** Whether the blob store refuses an upload (422, as its on-the-fly moderation would); never by default. */
	refuseBlob: (bytes: Buffer) => boolean;
	/** Forgets a blob (its TTL ran out): refreshing it answers 404 and its URLs stop working. */
	dropBlob(blobId: string): void;
	/**
	 * Holds the answers to new submissions until released: each workflow is created (and billed) at once,
	 * as when the answer is slow, so a test can delete or cancel in between, deterministically.
	 */
	holdSubmissions(): SubmissionHold;
}

export interface SubmissionHold {
	/** Submissions created and waiting for their answer. */
	readonly held: number;
	/** Their workflow ids, in order. */
	readonly workflowIds: readonly string[];
	/** Answers them all; later submissions are answered at once again. */
	release(): void;
}

export interface OrchestratorOptions {
	token?: string;
	keys?: readonly string[];
	refuseEarly?: boolean;
	imageTtlMs?: number;
	behaviour?: BehaviourFn;
}

const TERMINAL: readonly string[] = ['succeeded', 'failed', 'expired', 'canceled'];
const isOutcome = (s: unknown): s is WorkflowOutcome => typeof s === 'string' && TERMINAL.includes(s);

// CRC-32 by hand: zlib.crc32 only exists from Node 20.15 and the project allows 20.12.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
function crc32(data: Buffer): number {
	let c = 0xffffffff;
	for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
	return Buffer.concat([head, data, crc]);
}

/** A valid 8x8 RGB PNG whose colour derives from `text`, carrying it in a tEXt 'Comment' chunk. */
export function pngWithText(text: string): Buffer {
	const size = 8;
	const rgb = createHash('sha256').update(text).digest().subarray(0, 3);
	const row = Buffer.concat([Buffer.from([0]), ...Array.from({ length: size }, () => rgb)]);
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0);
	ihdr.writeUInt32BE(size, 4);
	ihdr.set([8, 2, 0, 0, 0], 8);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('tEXt', Buffer.from(`Comment\0${text}`, 'latin1')),
		chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

/** The text pngWithText embedded, so tests can tell which workflow an image came from. */
export function readPngText(png: Buffer): string | undefined {
	let offset = 8;
	while (offset + 8 <= png.length) {
		const length = png.readUInt32BE(offset);
		const type = png.toString('latin1', offset + 4, offset + 8);
		if (type === 'tEXt') return png.toString('latin1', offset + 8, offset + 8 + length).split('\0')[1];
		offset += 12 + length;
	}
	return undefined;
}

const problem = (status: number, title: string, detail: string, errors?: Record<string, string[]>): FakeResponse => ({
	status,
	body: { type: `https://httpstatuses.io/${status}`, title, status, detail, ...(errors ? { errors } : {}) },
	headers: { 'content-type': 'application/problem+json' },
});

const randomId = (prefix: string): string => prefix + randomBytes(8).toString('hex');
/** What a rate limit applies to: the method and the route, whichever workflow or blob it names. */
const kindOf = (req: FakeRequest): string => `${req.method} ${req.path.replace(/^(\/v2\/consumer\/(?:workflows|blobs)\/|\/blobs\/)[^/]+/, '$1:id')}`;
const iso = (ms: number): string => new Date(ms).toISOString();
const EXTERNAL_ID = /^[A-Za-z0-9_-]{1,128}$/;

function validate(body: unknown): Record<string, string[]> | undefined {
	const errors: Record<string, string[]> = {};
	const step: unknown = isRecord(body) && Array.isArray(body.steps) ? body.steps[0] : undefined;
	if (!isRecord(step)) return { steps: ['The steps field is required.'] };
	// A family drawn by an engine creates (createImage); a panel drawn from pictures edits them (editImage, or Google/Seedream without operations).
	if (step.$type === 'imageGen')
		return isRecord(step.input) && step.input.operation === 'createImage' ? validateImageGen(step.input, body) : validateReferenceImageGen(body, step);
	if (step.$type !== 'textToImage') errors['steps[0].$type'] = ['Only textToImage and imageGen are supported by this fake.'];
	const input = step.input;
	if (!isRecord(input)) return { ...errors, 'steps[0].input': ['The input field is required.'] };
	if (typeof input.model !== 'string' || input.model === '') errors['steps[0].input.model'] = ['The model field is required.'];
	if (typeof input.prompt !== 'string' || input.prompt === '') errors['steps[0].input.prompt'] = ['The prompt field is required.'];
	if (typeof input.cfgScale !== 'number') errors['steps[0].input.cfgScale'] = ['The cfgScale field is required.'];
	if (typeof input.seed !== 'number') errors['steps[0].input.seed'] = ['The seed field is required.'];
	if (isRecord(body) && body.externalId !== undefined && (typeof body.externalId !== 'string' || !EXTERNAL_ID.test(body.externalId))) {
		errors.externalId = ['externalId must be 1-128 characters of [A-Za-z0-9_-].'];
	}
	return Object.keys(errors).length > 0 ? errors : undefined;
}

/** An imageGen step against the engine's published input type (./imageGenTypes.ts). */
function validateReferenceImageGen(body: unknown, step: Record<string, unknown>): Record<string, string[]> | undefined {
	const input = step.input;
	if (!isRecord(input)) return { 'steps[0].input': ['The input field is required.'] };
	const schema = imageGenSchemaFor(input);
	if (!schema) return { 'steps[0].input.engine': [`Unknown engine ${String(input.engine)}.`] };
	const parsed = schema.safeParse(input);
	const errors: Record<string, string[]> = {};
	if (!parsed.success)
		for (const issue of parsed.error.issues) {
			const key = `steps[0].input.${issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(',') : '')}`;
			errors[key] = [...(errors[key] ?? []), issue.message];
		}
	if (isRecord(body) && body.externalId !== undefined && (typeof body.externalId !== 'string' || !EXTERNAL_ID.test(body.externalId)))
		errors.externalId = ['externalId must be 1-128 characters of [A-Za-z0-9_-].'];
	return Object.keys(errors).length > 0 ? errors : undefined;
}

const stepInputOf = (body: Record<string, unknown>): { type: unknown; input: Record<string, unknown> } => {
	const rawStep: unknown = Array.isArray(body.steps) ? body.steps[0] : undefined;
	const step = isRecord(rawStep) ? rawStep : {};
	return { type: step.$type, input: isRecord(step.input) ? step.input : {} };
};

/** Pictures a workflow draws: imageGen counts numImages (Google) or quantity; textToImage counts quantity. */
const takesOf = (body: Record<string, unknown>): number => {
	const { type, input } = stepInputOf(body);
	if (type === 'imageGen') return imageGenTakes(input);
	return typeof input.quantity === 'number' ? Math.max(1, Math.min(4, input.quantity)) : 1;
};

/** Buzz: 10 a picture for textToImage, the engine's price for imageGen. */
const costOf = (body: Record<string, unknown>): number => {
	const { type, input } = stepInputOf(body);
	// A LoRA family drawn by an engine (createImage) costs what its textToImage would; reference engines their own price.
	return (type === 'imageGen' && input.operation !== 'createImage' ? imageGenPrice(input) : 10) * takesOf(body);
};

/**
 * The `imageGen` engines the bot's families use (src/comic/baseModels.ts), with the fields each requires,
 * after the published `@civitai/client` types (tests/unit/families.test.ts checks every row against them).
 */
const IMAGE_GEN_ENGINES: Readonly<Record<string, readonly string[]>> = {
	sdcpp: ['ecosystem', 'model'],
	flux2: ['model'],
	comfy: ['ecosystem'],
};
/** Fields of a textToImage input an engine does not take: sending one means the wrong step was built. */
const TEXT_TO_IMAGE_ONLY = ['additionalNetworks', 'scheduler', 'clipSkip', 'model'];

function validateImageGen(input: unknown, body: unknown): Record<string, string[]> | undefined {
	const errors: Record<string, string[]> = {};
	const at = (field: string) => `steps[0].input.${field}`;
	if (!isRecord(input)) return { 'steps[0].input': ['The input field is required.'] };
	const engine = typeof input.engine === 'string' ? input.engine : '';
	const required = IMAGE_GEN_ENGINES[engine];
	if (!required) return { [at('engine')]: [`Unknown imageGen engine "${engine}".`] };
	for (const field of required) if (typeof input[field] !== 'string' || input[field] === '') errors[at(field)] = [`The ${field} field is required.`];
	if (input.operation !== 'createImage') errors[at('operation')] = ['The operation field must be createImage.'];
	if (typeof input.prompt !== 'string' || input.prompt === '') errors[at('prompt')] = ['The prompt field is required.'];
	if (typeof input.seed !== 'number') errors[at('seed')] = ['The seed field is required.'];
	for (const field of TEXT_TO_IMAGE_ONLY) {
		// comfy names its schedule `scheduler`, as textToImage does.
		if (field === 'scheduler' && engine === 'comfy') continue;
		// sdcpp and flux2 name their model variant `model` (a word, never an AIR).
		if (field === 'model' && typeof input.model === 'string' && !input.model.startsWith('urn:air:')) continue;
		if (field in input) errors[at(field)] = [`${field} is not an imageGen field.`];
	}
	const loras = input.loras;
	if (loras !== undefined) {
		const listed = Array.isArray(loras) && loras.every((l) => isRecord(l) && typeof l.air === 'string' && typeof l.strength === 'number');
		const keyed = isRecord(loras) && !Array.isArray(loras) && Object.values(loras).every((strength) => typeof strength === 'number');
		if (engine === 'flux2' && input.model === 'dev' ? !listed : !keyed) errors[at('loras')] = ['The loras field has the wrong shape for this engine.'];
	}
	if (isRecord(body) && body.externalId !== undefined && (typeof body.externalId !== 'string' || !EXTERNAL_ID.test(body.externalId))) {
		errors.externalId = ['externalId must be 1-128 characters of [A-Za-z0-9_-].'];
	}
	return Object.keys(errors).length > 0 ? errors : undefined;
}

export async function startFakeOrchestrator(options: OrchestratorOptions = {}): Promise<FakeOrchestrator> {
	const submissions: Submission[] = [];
	const workflows = new Map<string, FakeWorkflow>();
	const byExternalId = new Map<string, string>();
	const cancellations: string[] = [];
	const calls: KeyedCall[] = [];
	const callbackDeliveries: CallbackDelivery[] = [];
	const readCounts = new Map<string, number>();
	const signed = new Map<string, { blobId: string; expiresAt: number }>();
	const blobs = new Map<string, { bytes: Buffer; mime: string; serving: NonNullable<WorkflowBehaviour['imageServing']> }>();
	let imageBytesStreamed = 0;
	let foreignImageRequests = 0;
	const callbackAbort = new AbortController();
	let reads = 0;
	let imageDownloads = 0;
	const earlyRequests: EarlyRequest[] = [];
	/** Per kind, when the last Retry-After sent ends. */
	const limitedUntil = new Map<string, number>();

	const gate = (req: FakeRequest): FakeResponse | undefined => {
		const now = Date.now();
		const allowedAt = limitedUntil.get(kindOf(req));
		if (allowedAt === undefined || now >= allowedAt) return undefined;
		earlyRequests.push({ kind: kindOf(req), at: now, allowedAt });
		if (!fake.refuseEarly) return undefined;
		const limited = problem(429, 'Too Many Requests', 'Retry-After has not passed yet.');
		return { ...limited, headers: { ...limited.headers, 'retry-after': String(Math.ceil((allowedAt - now) / 1000)) } };
	};
	// The wait of a 429 runs from the moment it is sent, which is when the client learns of it.
	const onAnswer = (req: FakeRequest, response: FakeResponse): void => {
		if (response.status !== 429) return;
		const header = Object.entries(response.headers ?? {}).find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
		const seconds = Number(header);
		if (header === undefined || !Number.isFinite(seconds)) return;
		const kind = kindOf(req);
		limitedUntil.set(kind, Math.max(limitedUntil.get(kind) ?? 0, Date.now() + seconds * 1000));
	};

	const issueUrl = (blobId: string): { url: string; expiresAt: number } => {
		const sig = randomBytes(12).toString('hex');
		const expiresAt = Date.now() + fake.imageTtlMs;
		signed.set(sig, { blobId, expiresAt });
		return { url: `${server.origin}/blobs/${blobId}?sig=${sig}&exp=${expiresAt}`, expiresAt };
	};

	const deliver = async (url: string, payload: unknown): Promise<void> => {
		// One attempt plus three retries, 200 ms apart, like the real service retrying non-2xx answers.
		for (let attempt = 0; attempt < 4 && !server.isClosed(); attempt++) {
			let status = 0;
			try {
				const res = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(payload),
					signal: callbackAbort.signal,
				});
				status = res.status;
				await res.arrayBuffer();
			} catch {
				status = 0;
			}
			callbackDeliveries.push({ url, payload, status, at: Date.now() });
			if (status >= 200 && status < 300) return;
			await server.delay(200);
		}
	};

	const finalize = (wf: FakeWorkflow, status: WorkflowOutcome, at: number): void => {
		if (wf.final) return;
		wf.final = { status, at };
		wf.cancelTimer?.();
		const callbacks = Array.isArray(wf.body.callbacks) ? wf.body.callbacks : [];
		for (const cb of callbacks) {
			if (!isRecord(cb) || typeof cb.url !== 'string') continue;
			const types: unknown[] = Array.isArray(cb.type) ? cb.type : [];
			if (!types.includes(`workflow:${status}`) && !types.includes('workflow:*')) continue;
			void deliver(cb.url, { $type: 'workflow', workflowId: wf.id, status, timestamp: iso(at) });
		}
	};

	const scheduledMs = (wf: FakeWorkflow): number => (Number.isFinite(wf.behaviour.durationMs) ? wf.behaviour.durationMs * wf.behaviour.queuedShare : 0);
	const precedingJobs = (wf: FakeWorkflow, now: number): number => {
		const queued = scheduledMs(wf);
		if (queued <= 0) return 0;
		return Math.max(0, Math.ceil(wf.behaviour.queueAhead * (1 - (now - wf.createdAt) / queued)));
	};

	const statusOf = (wf: FakeWorkflow, now: number): WorkflowStatus => {
		// Timers can lag; the clock decides, so a read at durationMs never sees a stale status.
		if (!wf.final && now - wf.createdAt >= wf.behaviour.durationMs) finalize(wf, wf.behaviour.outcome, wf.createdAt + wf.behaviour.durationMs);
		if (wf.final) return wf.final.status;
		return now - wf.createdAt < scheduledMs(wf) ? 'scheduled' : 'processing';
	};

	const toJson = (wf: FakeWorkflow, forced?: WorkflowStatus): Record<string, unknown> => {
		const now = Date.now();
		const status = forced ?? statusOf(wf, now);
		const terminal = TERMINAL.includes(status);
		const { behaviour: b, body } = wf;
		const rawStep: unknown = Array.isArray(body.steps) ? body.steps[0] : undefined;
		const step = isRecord(rawStep) ? rawStep : {};
		const input = isRecord(step.input) ? step.input : {};
		const startedAt = wf.createdAt + scheduledMs(wf);
		const job: Record<string, unknown> = { id: wf.jobId, status };
		if (!terminal) {
			job.queuePosition =
				b.reportEstimate && Number.isFinite(b.durationMs)
					? { support: 'available', precedingJobs: precedingJobs(wf, now), startAt: iso(startedAt), completeAt: iso(wf.createdAt + b.durationMs) }
					: { support: 'unavailable' };
			if (Number.isFinite(b.durationMs) && b.durationMs > 0) job.estimatedProgressRate = 1000 / b.durationMs;
		}
		if (status === 'failed') job.reason = b.jobReason ?? (b.blockedReason === undefined ? 'The job failed in the fake orchestrator.' : 'Blocked');
		if (status === 'expired') job.reason = 'The job expired before a worker picked it up.';
		if (b.blockedReason !== undefined) job.blockedReason = b.blockedReason;
		const stepJson: Record<string, unknown> = {
			$type: step.$type === 'imageGen' ? 'imageGen' : 'textToImage',
			name: typeof step.name === 'string' ? step.name : '0',
			status,
			input,
			jobs: [job],
		};
		if (status === 'succeeded') {
			stepJson.output = {
				images: wf.images.map(({ blobId }) => {
					const { url, expiresAt } = issueUrl(blobId);
					return {
						type: 'image',
						id: blobId,
						available: true,
						url,
						urlExpiresAt: iso(expiresAt),
						nsfwLevel: b.nsfwLevel,
						...(b.blockedReason === undefined ? {} : { blockedReason: b.blockedReason }),
						width: typeof input.width === 'number' ? input.width : 832,
						height: typeof input.height === 'number' ? input.height : 1216,
						jobId: wf.jobId,
					};
				}),
			};
		}
		const total = costOf(body);
		return {
			id: wf.id,
			status,
			createdAt: iso(wf.createdAt),
			...(status !== 'unassigned' && status !== 'scheduled' && now >= startedAt ? { startedAt: iso(startedAt) } : {}),
			...(wf.final ? { completedAt: iso(wf.final.at) } : {}),
			tags: Array.isArray(body.tags) ? body.tags : [],
			...(typeof body.externalId === 'string' ? { externalId: body.externalId } : {}),
			...(body.metadata === undefined ? {} : { metadata: body.metadata }),
			cost: { base: total, tips: { civitai: 0, creators: 0 }, total },
			steps: [stepJson],
		};
	};

	const create = (body: Record<string, unknown>, key: string): FakeWorkflow => {
		const id = randomId('wf_');
		const planned = fake.behaviour(body, id);
		const quantity = takesOf(body);
		const mime = planned.mime ?? 'image/png';
		const images = Array.from({ length: quantity }, (_, i) => ({
			blobId: randomId('blob_'),
			bytes: planned.image ?? pngWithText(i === 0 ? `workflow ${id}` : `workflow ${id} image ${i}`),
		}));
		for (const img of images) blobs.set(img.blobId, { bytes: img.bytes, mime, serving: planned.imageServing ?? 'picture' });
		const wf: FakeWorkflow = {
			id,
			body,
			createdAt: Date.now(),
			images,
			jobId: randomId('job_'),
			key,
			behaviour: {
				durationMs: planned.durationMs ?? 300,
				outcome: planned.outcome ?? 'succeeded',
				nsfwLevel: planned.nsfwLevel ?? 'pg',
				mime,
				reportEstimate: planned.reportEstimate ?? true,
				queueAhead: planned.queueAhead ?? 0,
				queuedShare: planned.queuedShare ?? 0.2,
				...(planned.blockedReason === undefined ? {} : { blockedReason: planned.blockedReason }),
				...(planned.jobReason === undefined ? {} : { jobReason: planned.jobReason }),
			},
		};
		workflows.set(id, wf);
		if (typeof body.externalId === 'string') byExternalId.set(body.externalId, id);
		// A timer so callbacks fire at completion even when nobody polls. It ends the workflow itself rather than
		// asking the clock: a timer may fire a millisecond before Date.now() says the time has come.
		if (Number.isFinite(wf.behaviour.durationMs))
			wf.cancelTimer = server.schedule(() => finalize(wf, wf.behaviour.outcome, wf.createdAt + wf.behaviour.durationMs), wf.behaviour.durationMs);
		return wf;
	};

	const submit = async (req: FakeRequest, key: string): Promise<FakeResponse> => {
		const errors = validate(req.body);
		if (errors !== undefined || !isRecord(req.body)) return problem(400, 'One or more validation errors occurred.', 'The workflow is invalid.', errors);
		const unreadable = unreadableReference(req.body);
		if (unreadable !== undefined)
			return problem(400, 'One or more validation errors occurred.', 'Input image failed to download from URL.', {
				'steps[0].input.images': [`Input image failed to download from URL: ${unreadable}`],
			});
		submissions.push({ body: req.body, query: req.query, at: Date.now() });
		if (req.query.get('whatif') === 'true') {
			const preview = toJson(
				{
					id: '',
					body: req.body,
					createdAt: Date.now(),
					images: [],
					jobId: '',
					key,
					behaviour: { durationMs: Infinity, outcome: 'succeeded', nsfwLevel: 'pg', mime: 'image/png', reportEstimate: false, queueAhead: 0, queuedShare: 0.2 },
				},
				'unassigned',
			);
			const total = isRecord(preview.cost) ? preview.cost.total : 10;
			const { id: _id, ...rest } = preview;
			return { status: 200, body: { ...rest, transactions: { list: [{ type: 'debit', amount: total, accountType: 'yellow' }], insufficientBuzz: false } } };
		}
		const existingId = typeof req.body.externalId === 'string' ? byExternalId.get(req.body.externalId) : undefined;
		const existing = existingId === undefined ? undefined : workflows.get(existingId);
		if (existing && existing.key === key) return { status: 200, body: toJson(existing) };
		const wf = create(req.body, key);
		if (hold) {
			const gate = hold;
			gate.workflowIds.push(wf.id);
			await gate.released;
		}
		const waitS = Math.min(Number(req.query.get('wait') ?? 0) || 0, 90);
		if (waitS <= 0) return { status: 202, body: toJson(wf, 'unassigned') };
		const deadline = Date.now() + waitS * 1000;
		while (!TERMINAL.includes(statusOf(wf, Date.now())) && Date.now() < deadline && !server.isClosed()) await server.delay(25);
		return { status: wf.final ? 200 : 202, body: toJson(wf) };
	};

	// Like the real service (inferred: reference-images.md §3), a reference is fetched when the workflow
	// is submitted: one of this store's URLs must be valid then; any other URL is fetched.
	const unreadableReference = (body: Record<string, unknown>): string | undefined => {
		const { type, input } = stepInputOf(body);
		if (type !== 'imageGen' || !Array.isArray(input.images)) return undefined;
		for (const url of input.images) {
			if (typeof url !== 'string') return String(url);
			const parsed = URL.canParse(url) ? new URL(url) : undefined;
			if (!parsed) return url.slice(0, 80);
			if (parsed.origin !== server.origin) continue;
			const blobId = /^\/blobs\/([^/]+)$/.exec(parsed.pathname)?.[1];
			const entry = signed.get(parsed.searchParams.get('sig') ?? '');
			if (!blobId || !entry || entry.blobId !== blobId || Date.now() >= entry.expiresAt || !blobs.has(blobId)) return url.slice(0, 80);
		}
		return undefined;
	};

	const uploads: FakeOrchestrator['uploads'] = [];
	const upload = (req: FakeRequest, key: string): FakeResponse => {
		const mime = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
		if (!['image/jpeg', 'image/png', 'image/webp'].includes(mime))
			return problem(415, 'Unsupported Media Type', `Content type ${mime || '(none)'} is not accepted.`);
		const bytes = req.raw ?? Buffer.alloc(0);
		if (bytes.length === 0) return problem(400, 'Bad Request', 'The body is empty.');
		if (bytes.length > 64 * 1024 * 1024) return problem(413, 'Payload Too Large', 'The blob is too large.');
		if (fake.refuseBlob(bytes)) return problem(422, 'Unprocessable Entity', 'The image was rejected by moderation.');
		const blobId = randomId('blob_');
		blobs.set(blobId, { bytes, mime, serving: 'picture' });
		uploads.push({ blobId, bytes, mime, key });
		const { url, expiresAt } = issueUrl(blobId);
		return { status: 201, body: { id: blobId, url, available: true, urlExpiresAt: iso(expiresAt) } };
	};
	let hold: { workflowIds: string[]; released: Promise<void> } | undefined;

	const cancel = (wf: FakeWorkflow): void => {
		cancellations.push(wf.id);
		if (!TERMINAL.includes(statusOf(wf, Date.now()))) finalize(wf, 'canceled', Date.now());
	};

	const handler = async (req: FakeRequest): Promise<FakeResponse> => {
		const blob = /^\/blobs\/([^/]+)$/.exec(req.path);
		if (blob?.[1] !== undefined && req.method === 'GET') {
			// Signed URLs need no bearer token, like the real CDN links.
			const entry = signed.get(req.query.get('sig') ?? '');
			const stored = blobs.get(blob[1]);
			if (!entry || entry.blobId !== blob[1] || Date.now() >= entry.expiresAt || !stored)
				return { status: 403, body: 'Request has expired or the signature is invalid.' };
			imageDownloads++;
			if (!(req.headers.host ?? '').startsWith('127.0.0.1')) foreignImageRequests++;
			// A redirect is answered once; the URL it points to (marked `hop`) serves the picture.
			if (stored.serving.startsWith('redirect') && !req.query.has('hop')) {
				const target = new URL(`${req.path}?${req.query.toString()}&hop=1`, server.origin);
				if (stored.serving === 'redirect-foreign') target.hostname = 'localhost';
				return { status: 302, headers: { location: target.href } };
			}
			if (stored.serving === 'oversized') {
				const chunk = Buffer.concat([stored.bytes, Buffer.alloc(64 * 1024 - stored.bytes.length)]);
				const onWritten = (bytes: number) => {
					imageBytesStreamed += bytes;
				};
				return { status: 200, headers: { 'content-type': stored.mime }, stream: { chunk, count: 3_200, onWritten } };
			}
			return { status: 200, body: stored.bytes, headers: { 'content-type': stored.mime } };
		}
		const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
		if (bearer !== undefined) calls.push({ method: req.method, path: req.path, key: bearer });
		if (bearer === undefined || (bearer !== fake.token && !fake.keys.has(bearer))) return problem(401, 'Unauthorized', 'A valid bearer token is required.');
		const key = bearer;
		if (req.path === '/v2/consumer/blobs' && req.method === 'POST') return upload(req, key);
		const refresh = /^\/v2\/consumer\/blobs\/([^/]+)\/refresh$/.exec(req.path);
		if (refresh?.[1] !== undefined && req.method === 'POST') {
			if (!blobs.has(refresh[1])) return problem(404, 'Not Found', `No blob ${refresh[1]}.`);
			// A Blob, as the SDK types it (reference-images.md §3): id, url, available, urlExpiresAt.
			const { url, expiresAt } = issueUrl(refresh[1]);
			return { status: 200, body: { id: refresh[1], url, available: true, urlExpiresAt: iso(expiresAt), expiresAt: iso(expiresAt) } };
		}
		if (req.path === '/v2/consumer/workflows') {
			if (req.method === 'POST') return submit(req, key);
			if (req.method === 'GET') {
				const tags = req.query
					.getAll('tags')
					.flatMap((t) => t.split(','))
					.filter((t) => t !== '');
				const take = Math.max(1, Number(req.query.get('take') ?? 20) || 20);
				const start = Number(req.query.get('cursor') ?? 0) || 0;
				const all = [...workflows.values()].reverse().filter((wf) => {
					if (wf.key !== key) return false;
					const wfTags: unknown[] = Array.isArray(wf.body.tags) ? wf.body.tags : [];
					if (!tags.every((t) => wfTags.includes(t))) return false;
					return !(req.query.get('excludeFailed') === 'true' && statusOf(wf, Date.now()) === 'failed');
				});
				const items = all.slice(start, start + take).map((wf) => toJson(wf));
				return { status: 200, body: { next: start + take < all.length ? String(start + take) : null, items } };
			}
		}
		const one = /^\/v2\/consumer\/workflows\/([^/]+)$/.exec(req.path);
		if (one?.[1] !== undefined) {
			const found = workflows.get(one[1]);
			// Another account's workflow is as unknown as a missing one.
			const wf = found?.key === key ? found : undefined;
			if (wf === undefined) return problem(404, 'Not Found', `Workflow ${one[1]} was not found.`);
			if (req.method === 'GET') {
				reads++;
				readCounts.set(wf.id, (readCounts.get(wf.id) ?? 0) + 1);
				return { status: 200, body: toJson(wf) };
			}
			if (req.method === 'DELETE') {
				cancel(wf);
				return { status: 204 };
			}
			if (req.method === 'PUT') {
				if (!isRecord(req.body) || req.body.status !== 'canceled')
					return problem(400, 'One or more validation errors occurred.', 'Only { "status": "canceled" } is supported.', {
						status: ['Only canceled is supported.'],
					});
				cancel(wf);
				return { status: 200, body: toJson(wf) };
			}
		}
		return problem(404, 'Not Found', `No route ${req.method} ${req.path}.`);
	};

	const server = await startHttpFake(handler, {
		faultResponse: (status) => problem(status, status === 429 ? 'Too Many Requests' : 'Injected fault', 'Injected by the test.'),
		gate,
		onAnswer,
	});
	const mustGet = (id: string): FakeWorkflow => {
		const wf = workflows.get(id);
		if (wf === undefined) throw new Error(`fake orchestrator: no workflow ${id}`);
		return wf;
	};

	const fake: FakeOrchestrator = {
		...baseFake(server),
		token: options.token ?? 'test-civitai-token',
		keys: new Set(options.keys ?? []),
		calls,
		earlyRequests,
		refuseEarly: options.refuseEarly ?? false,
		imageTtlMs: options.imageTtlMs ?? 60_000,
		behaviour: options.behaviour ?? (() => ({})),
		submissions,
		workflows,
		cancellations,
		callbackDeliveries,
		get reads() {
			return reads;
		},
		get imageDownloads() {
			return imageDownloads;
		},
		get imageBytesStreamed() {
			return imageBytesStreamed;
		},
		get foreignImageRequests() {
			return foreignImageRequests;
		},
		readsFor: (id) => readCounts.get(id) ?? 0,
		completedAt: (id) => workflows.get(id)?.final?.at,
		complete: (id, outcome) => {
			const wf = mustGet(id);
			finalize(wf, outcome ?? wf.behaviour.outcome, Date.now());
		},
		setOutcome: (id, outcome) => {
			if (!isOutcome(outcome)) throw new Error(`fake orchestrator: bad outcome ${String(outcome)}`);
			mustGet(id).behaviour.outcome = outcome;
		},
		uploads,
		refuseBlob: () => false,
		dropBlob: (blobId) => {
			blobs.delete(blobId);
		},
		expireImageUrls: () => {
			for (const entry of signed.values()) entry.expiresAt = Date.now();
		},
		holdSubmissions: () => {
			let release = (): void => {};
			const workflowIds: string[] = [];
			const gate = { workflowIds, released: new Promise<void>((resolve) => (release = resolve)) };
			hold = gate;
			return {
				get held() {
					return gate.workflowIds.length;
				},
				workflowIds: gate.workflowIds,
				release: () => {
					if (hold === gate) hold = undefined;
					release();
				},
			};
		},
		close: async () => {
			callbackAbort.abort();
			await server.close();
		},
	};
	return fake;
}
