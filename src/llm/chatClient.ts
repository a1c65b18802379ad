import type OpenAI from 'openai';
import { z } from 'zod';

export interface ChatClientOptions {
	readonly apiKey: string;
	readonly baseUrl?: string | undefined;
	readonly model: string;
}

export interface ChatRequest {
	readonly system: string;
	readonly user: string;
	/** The whole call gets at most this long. */
	readonly timeoutMs: number;
	readonly maxTokens?: number;
	/** Ask for a JSON object (`response_format`); the caller still validates what comes back. */
	readonly json?: boolean;
}

export type ChatResult =
	| { readonly ok: true; readonly content: string }
	| { readonly ok: false; readonly reason: 'timeout' | 'error'; readonly error?: unknown };

const completionSchema = z.object({
	choices: z.array(z.object({ message: z.object({ content: z.string().nullish() }) })).min(1),
});

/**
 * One chat completion from any OpenAI-compatible server, bounded in time. Never throws.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export class ChatClient {
	private sdk: Promise<{ client: OpenAI; TimeoutError: typeof OpenAI.APIConnectionTimeoutError }> | undefined;

	public constructor(private readonly options: ChatClientOptions) {}

	/** The SDK is loaded on first use (about 10 MB of memory that bots without a key never pay). */
	private load() {
		this.sdk ??= import('openai').then(({ default: OpenAISdk }) => ({
			client: new OpenAISdk({ apiKey: this.options.apiKey, baseURL: this.options.baseUrl, maxRetries: 0 }),
			TimeoutError: OpenAISdk.APIConnectionTimeoutError,
		}));
		return this.sdk;
	}

	public async complete(request: ChatRequest): Promise<ChatResult> {
		const deadline = AbortSignal.timeout(request.timeoutMs);
		let timeoutError: typeof OpenAI.APIConnectionTimeoutError | undefined;
		try {
			const sdk = await this.load();
			timeoutError = sdk.TimeoutError;
			const raw: unknown = await sdk.client.chat.completions.create(
				{
					model: this.options.model,
					temperature: 0.7,
					max_tokens: request.maxTokens ?? 2048,
					...(request.json ? { response_format: { type: 'json_object' as const } } : {}),
					messages: [
						{ role: 'system', content: request.system },
						{ role: 'user', content: request.user },
					],
				},
				{ signal: deadline, timeout: request.timeoutMs },
			);
			const parsed = completionSchema.safeParse(raw);
			return { ok: true, content: parsed.success ? (parsed.data.choices[0]?.message.content ?? '') : '' };
		} catch (error) {
			const timedOut = deadline.aborted || (timeoutError !== undefined && error instanceof timeoutError);
			return { ok: false, reason: timedOut ? 'timeout' : 'error', error };
		}
	}
}
