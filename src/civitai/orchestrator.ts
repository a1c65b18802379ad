import { z } from 'zod';
import { HttpError } from '../net/httpError.ts';
import { downloadPicture } from '../net/imageDownload.ts';
import { DEFAULT_IMAGE_HOSTS, type ImageHostRule, parseImageHosts } from '../net/imageHosts.ts';
import { requestJson } from '../net/request.ts';

export const workflowStatuses = ['unassigned', 'preparing', 'scheduled', 'processing', 'succeeded', 'failed', 'expired', 'canceled'] as const;
export type WorkflowStatus = (typeof workflowStatuses)[number];
export const terminalStatuses: ReadonlySet<WorkflowStatus> = new Set(['succeeded', 'failed', 'expired', 'canceled']);

// Unknown statuses from a newer orchestrator are read as "still running" rather than rejected.
const status = z.string().transform((value): WorkflowStatus => workflowStatuses.find((known) => known === value) ?? 'processing');

const imageSchema = z.object({
	id: z.string(),
	available: z.boolean().nullish(),
	url: z.string().nullish(),
	urlExpiresAt: z.string().nullish(),
	nsfwLevel: z.string().nullish(),
	blockedReason: z.string().nullish(),
	width: z.number().nullish(),
	height: z.number().nullish(),
});

const jobSchema = z.object({
	id: z.string().nullish(),
	status: status.nullish(),
	queuePosition: z
		.object({
			precedingJobs: z.number().nullish(),
			startAt: z.string().nullish(),
			completeAt: z.string().nullish(),
		})
		.nullish(),
	estimatedProgressRate: z.number().nullish(),
	reason: z.string().nullish(),
	blockedReason: z.string().nullish(),
});

const workflowSchema = z.object({
	id: z.string(),
	status,
	createdAt: z.string().nullish(),
	completedAt: z.string().nullish(),
	// What the workflow cost in Buzz (charged to the key that submitted it), once the orchestrator knows.
	cost: z.object({ total: z.number().nullish() }).nullish(),
	steps: z
		.array(
			z.object({
				$type: z.string().nullish(),
				status: status.nullish(),
				output: z.object({ images: z.array(imageSchema).nullish() }).nullish(),
				jobs: z.array(jobSchema).nullish(),
			}),
		)
		.nullish()
		.transform((steps) => steps ?? []),
});

export type Workflow = z.output<typeof workflowSchema>;
const estimateSchema = z.object({ cost: z.object({ total: z.number().nullish() }).nullish() });
export type WorkflowImage = z.output<typeof imageSchema>;

/** The `textToImage` step input the bot sends; also how a panel keeps it (`Panel.params`). */
export const textToImageInputSchema = z.object({
	model: z.string(),
	// `type`: the legacy network type some families' generator sends (HiDream: `LORA`).
	additionalNetworks: z.record(z.string(), z.object({ strength: z.number(), type: z.string().optional() })),
	prompt: z.string(),
	negativePrompt: z.string().optional(),
	scheduler: z.string(),
	steps: z.number().int(),
	cfgScale: z.number(),
	clipSkip: z.number().int().optional(),
	seed: z.number().int(),
	width: z.number().int(),
	height: z.number().int(),
	quantity: z.number().int(),
});
export type TextToImageInput = z.output<typeof textToImageInputSchema>;

/**
 * The input of an `imageGen` step: the engine's own fields, passed through as they are. Built by
 * src/comic/generation/imageGenInput.ts for LoRA families drawn by an engine (src/comic/baseModels.ts),
 * and by src/comic/engines/ for characters drawn from reference pictures (`images`).
 */
export interface ImageGenInput {
	readonly engine: string;
	/** `createImage` / `editImage` where the engine has operations (Google and Seedream have none). */
	readonly operation?: string | undefined;
	readonly prompt: string;
	readonly images?: readonly string[] | undefined;
	readonly [field: string]: unknown;
}

/** How a stored imageGen input is read back (Drawing.params of a panel drawn from pictures). */
export const imageGenInputSchema = z.looseObject({
	engine: z.string(),
	operation: z.string().optional(),
	prompt: z.string(),
	images: z.array(z.string()).optional(),
});

/** A drawing's one step: textToImage, or imageGen (a family drawn by an engine, or a panel drawn from pictures). */
export type DrawingStep = { readonly $type: 'textToImage'; readonly input: TextToImageInput } | { readonly $type: 'imageGen'; readonly input: ImageGenInput };

export interface SubmitWorkflow {
	/** The one step (src/comic/engines/drawingStep.ts builds it from a drawing's stored params). */
	readonly step: DrawingStep;
	/** Idempotency key: a repeated one returns the existing workflow instead of billing a new one. */
	readonly externalId: string;
	readonly tags: readonly string[];
	readonly allowMatureContent: boolean;
	readonly callbackUrl?: string | undefined;
}

const problemSchema = z.object({ title: z.string().nullish(), detail: z.string().nullish(), errors: z.record(z.string(), z.array(z.string())).nullish() });
export type Problem = z.output<typeof problemSchema>;

/** The RFC 7807 body of an orchestrator error, when it sent one. */
export function problemOf(error: HttpError): Problem | undefined {
	const parsed = problemSchema.safeParse(error.body);
	return parsed.success ? parsed.data : undefined;
}

export interface OrchestratorOptions {
	readonly baseUrl: string;
	readonly token: string;
	readonly timeoutMs?: number;
	/** The clock Retry-After waits are measured on (Date.now unless a test injects one). */
	readonly now?: (() => number) | undefined;
	/** Images larger than this are refused while downloading (Discord's own upload limit is 10 MiB). */
	readonly maxImageBytes?: number;
	/** Where images may be downloaded from (IMAGE_HOSTS); Civitai's own hosts, https only, when unset. */
	readonly imageHosts?: readonly ImageHostRule[];
}

/**
 * A small typed client of Civitai's orchestrator (workflows API). Our own rather than
 * `@civitai/client`, which throws away the bodies of 403 and 429 answers (docs/decisions/002).
 * @see https://developer.civitai.com/docs/orchestration
 */
export class Orchestrator {
	private readonly timeoutMs: number;
	private readonly maxImageBytes: number;
	private readonly imageHosts: readonly ImageHostRule[];

	public constructor(private readonly options: OrchestratorOptions) {
		this.timeoutMs = options.timeoutMs ?? 30_000;
		this.maxImageBytes = options.maxImageBytes ?? 25 * 1024 * 1024;
		this.imageHosts = options.imageHosts ?? parseImageHosts(DEFAULT_IMAGE_HOSTS);
	}

	public async submit(request: SubmitWorkflow): Promise<Workflow> {
		return this.call('POST', '/v2/consumer/workflows', this.submitBody(request));
	}

	/**
	 * What the workflow would cost, without running it (`whatif=true`): the total Buzz.
	 * @see https://developer.civitai.com/docs/api/orchestration
	 */
	public async estimate(request: SubmitWorkflow): Promise<number | undefined> {
		const answer = await requestJson({
			api: 'Orchestrator',
			method: 'POST',
			url: `${this.options.baseUrl}/v2/consumer/workflows?whatif=true`,
			headers: this.headers(),
			body: this.submitBody(request),
			timeoutMs: this.timeoutMs,
			now: this.options.now,
			schema: estimateSchema,
			errorCode,
		});
		return answer.cost?.total ?? undefined;
	}

	private submitBody(request: SubmitWorkflow) {
		return {
			tags: request.tags,
			externalId: request.externalId,
			allowMatureContent: request.allowMatureContent,
			steps: [{ $type: request.step.$type, priority: 'low', timeout: '00:21:00', input: request.step.input }],
			tips: { civitai: 0, creators: 0 },
			...(request.callbackUrl
				? { callbacks: [{ url: request.callbackUrl, type: ['workflow:succeeded', 'workflow:failed', 'workflow:expired', 'workflow:canceled'] }] }
				: {}),
		};
	}

	public async get(workflowId: string): Promise<Workflow> {
		return this.call('GET', `/v2/consumer/workflows/${encodeURIComponent(workflowId)}`);
	}

	/**
	 * The cheapest call that proves a key is accepted: lists at most one workflow, spends nothing.
	 * Throws the HttpError (401 for a key the orchestrator does not accept).
	 */
	public async checkKey(): Promise<void> {
		await requestJson({
			api: 'Orchestrator',
			method: 'GET',
			url: `${this.options.baseUrl}/v2/consumer/workflows?take=1`,
			headers: this.headers(),
			timeoutMs: this.timeoutMs,
			schema: z.unknown(),
			errorCode,
		});
	}

	/** Giving up on a workflow neither stops nor refunds it: cancel explicitly. */
	public async cancel(workflowId: string): Promise<void> {
		await requestJson({
			api: 'Orchestrator',
			method: 'PUT',
			url: `${this.options.baseUrl}/v2/consumer/workflows/${encodeURIComponent(workflowId)}`,
			headers: this.headers(),
			body: { status: 'canceled' },
			timeoutMs: this.timeoutMs,
			now: this.options.now,
			schema: z.unknown(),
			errorCode,
		});
	}

	/** A fresh signed URL for an image whose URL expired. */
	public async refreshImageUrl(blobId: string): Promise<string> {
		return (await this.refreshBlob(blobId)).url;
	}

	/**
	 * A fresh signed URL for a blob; the refresh also resets its 30-day time to live.
	 * @see /work/shared/reference/reference-images.md §3
	 */
	public async refreshBlob(blobId: string): Promise<StoredBlob> {
		const answer = await requestJson({
			api: 'Orchestrator',
			method: 'POST',
			url: `${this.options.baseUrl}/v2/consumer/blobs/${encodeURIComponent(blobId)}/refresh`,
			headers: this.headers(),
			timeoutMs: this.timeoutMs,
			now: this.options.now,
			schema: blobSchema,
			errorCode,
		});
		return { id: answer.id ?? blobId, url: answer.url, expiresAt: expiryOf(answer) };
	}

	/**
	 * Uploads a picture to the orchestrator's blob store (moderated on the fly: a refusal is a 4xx,
	 * 422 for a picture it will not keep) and returns its id and a signed URL.
	 */
	public async uploadBlob(data: Buffer, contentType: 'image/jpeg' | 'image/png' | 'image/webp'): Promise<StoredBlob> {
		const url = `${this.options.baseUrl}/v2/consumer/blobs`;
		let response: Response;
		let text: string;
		try {
			response = await fetch(url, {
				method: 'POST',
				headers: { ...this.headers(), 'content-type': contentType, accept: 'application/json' },
				body: new Uint8Array(data),
				signal: AbortSignal.timeout(this.timeoutMs),
			});
			text = await response.text();
		} catch (error) {
			throw new HttpError('Orchestrator', 'POST', url, 0, undefined, undefined, { cause: error });
		}
		let body: unknown;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			body = text.slice(0, 500);
		}
		if (!response.ok) throw new HttpError('Orchestrator', 'POST', url, response.status, errorCode(body), body);
		const parsed = blobSchema.safeParse(body);
		if (!parsed.success || !parsed.data.id) throw new HttpError('Orchestrator', 'POST', url, 502, 'unexpected response', body, { cause: parsed.error });
		return { id: parsed.data.id, url: parsed.data.url, expiresAt: expiryOf(parsed.data) };
	}

	/**
	 * Downloads an image from its signed URL (no token: the signature is the credential): only from
	 * the allowed hosts, redirects checked, the size capped while reading, the bytes a picture.
	 */
	public async download(url: string): Promise<{ data: Buffer; contentType: string }> {
		return downloadPicture(url, { hosts: this.imageHosts, maxBytes: this.maxImageBytes, timeoutMs: this.timeoutMs });
	}

	private headers(): Record<string, string> {
		return { authorization: `Bearer ${this.options.token}` };
	}

	private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Workflow> {
		return requestJson({
			api: 'Orchestrator',
			method,
			url: `${this.options.baseUrl}${path}`,
			headers: this.headers(),
			body,
			timeoutMs: this.timeoutMs,
			now: this.options.now,
			schema: workflowSchema,
			errorCode,
		});
	}
}

function errorCode(body: unknown): string | undefined {
	const parsed = problemSchema.safeParse(body);
	return parsed.success ? (parsed.data.title ?? undefined) : undefined;
}

const blobSchema = z.object({ id: z.string().nullish(), url: z.string(), expiresAt: z.string().nullish(), urlExpiresAt: z.string().nullish() });

/** A blob in the orchestrator's store: its id, a signed URL and when that URL stops working (when told). */
export interface StoredBlob {
	readonly id: string;
	readonly url: string;
	readonly expiresAt: Date | undefined;
}

function expiryOf(blob: z.output<typeof blobSchema>): Date | undefined {
	const text = blob.urlExpiresAt ?? blob.expiresAt;
	const time = text ? Date.parse(text) : Number.NaN;
	return Number.isNaN(time) ? undefined : new Date(time);
}

/** Every image of the workflow's steps, in order (one per take). */
export function workflowImages(workflow: Workflow): WorkflowImage[] {
	return workflow.steps.flatMap((step) => step.output?.images ?? []);
}
