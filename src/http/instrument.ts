import { DefaultRestOptions, type RESTOptions, type ResponseLike } from '@discordjs/rest';
import { Orchestrator, terminalStatuses, type OrchestratorOptions, type StoredBlob, type SubmitWorkflow, type Workflow } from '../civitai/orchestrator.ts';
import { HttpError } from '../net/httpError.ts';
import type { Metrics } from './metrics.ts';

/**
 * The orchestrator client, counting its failures and noting when workflows ended. A subclass
 * rather than a change to the client: what the bot does stays in one place, what operators see
 * in another.
 */
export class InstrumentedOrchestrator extends Orchestrator {
	public constructor(
		options: OrchestratorOptions,
		private readonly metrics: Metrics,
	) {
		super(options);
	}

	public override submit(request: SubmitWorkflow): Promise<Workflow> {
		return this.counted('submit', () => super.submit(request));
	}

	public override async get(workflowId: string): Promise<Workflow> {
		const workflow = await this.counted('get', () => super.get(workflowId));
		const completedAt = workflow.completedAt ? Date.parse(workflow.completedAt) : Number.NaN;
		if (terminalStatuses.has(workflow.status) && !Number.isNaN(completedAt)) this.metrics.noteCompletion(workflow.id, completedAt);
		return workflow;
	}

	public override estimate(request: SubmitWorkflow): Promise<number | undefined> {
		return this.counted('estimate', () => super.estimate(request));
	}

	public override cancel(workflowId: string): Promise<void> {
		return this.counted('cancel', () => super.cancel(workflowId));
	}

	public override refreshBlob(blobId: string): Promise<StoredBlob> {
		return this.counted('refreshBlob', () => super.refreshBlob(blobId));
	}

	public override uploadBlob(data: Buffer, contentType: 'image/jpeg' | 'image/png' | 'image/webp'): Promise<StoredBlob> {
		return this.counted('uploadBlob', () => super.uploadBlob(data, contentType));
	}

	public override download(url: string): Promise<{ data: Buffer; contentType: string }> {
		return this.counted('download', () => super.download(url));
	}

	private async counted<T>(operation: string, call: () => Promise<T>): Promise<T> {
		try {
			return await call();
		} catch (error) {
			if (error instanceof HttpError) this.metrics.orchestratorErrors.inc({ operation, status: String(error.status) });
			throw error;
		}
	}
}

type MakeRequest = RESTOptions['makeRequest'];

/**
 * A Discord REST transport that counts failed requests by status and Discord error code. The
 * REST client's `response` event cannot give the code: its copy of the response shares the body
 * stream with the client. So error answers (small JSON bodies) are read here once and handed on
 * as a fresh Response; successful ones pass through untouched.
 */
export function countingDiscordTransport(metrics: Metrics, makeRequest: MakeRequest = DefaultRestOptions.makeRequest): MakeRequest {
	return async (url, init) => {
		const route = routeKind(url);
		let response: ResponseLike;
		try {
			response = await makeRequest(url, init);
		} catch (error) {
			metrics.discordErrors.inc({ route, status: '0', code: '' });
			throw error;
		}
		if (response.status < 400) return response;
		const body = Buffer.from(await response.arrayBuffer());
		metrics.discordErrors.inc({ route, status: String(response.status), code: discordCode(body) });
		return new Response(body, { status: response.status, statusText: response.statusText, headers: [...response.headers.entries()] });
	};
}

/** The first path segment after the API version (`channels`, `webhooks`, `interactions`…): few values, no ids. */
export function routeKind(url: string): string {
	const path = new URL(url).pathname.replace(/^.*?\/v\d+\//, '');
	const first = path.split('/')[0] ?? '';
	return /^[a-z-]{1,32}$/.test(first) ? first : 'other';
}

function discordCode(body: Buffer): string {
	try {
		const parsed: unknown = JSON.parse(body.toString('utf8'));
		if (typeof parsed === 'object' && parsed !== null && 'code' in parsed && typeof parsed.code === 'number') return String(parsed.code);
	} catch {
		// Not JSON (a proxy's HTML error page): the status says enough.
	}
	return '';
}
