import type OpenAI from 'openai';
import { z } from 'zod';

/**
 * What a rewrite asks for and how its answer becomes a prompt: the caller's business (for the bot,
 * `panelRewrite` in src/comic/prompt.ts), so this client knows the server and nothing of comics.
 */
export interface RewriteInstructions {
	/** The system message for a rewrite that must keep these keywords; `context` is the caller's extra instructions. */
	system(keywords: readonly string[], context?: string): string;
	/** Turns the model's answer (quotes and a `prompt:` label already stripped) into the prompt to use. */
	finish(answer: string, keywords: readonly string[]): string;
}

export interface PromptRewriterOptions {
	readonly apiKey: string;
	readonly baseUrl?: string | undefined;
	readonly model: string;
	readonly instructions: RewriteInstructions;
	/** The whole rewrite, retries included, gets at most this long: the contract allows 10 s. */
	readonly timeoutMs?: number;
}

export type RewriteResult =
	| { readonly ok: true; readonly prompt: string }
	| { readonly ok: false; readonly reason: 'timeout' | 'error' | 'empty'; readonly error?: unknown };

const completionSchema = z.object({
	choices: z.array(z.object({ message: z.object({ content: z.string().nullish() }) })).min(1),
});

/**
 * Rewrites a short panel description into a detailed comic-panel prompt through any
 * OpenAI-compatible server. Never throws: the caller falls back to the plain prompt.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export class PromptRewriter {
	private readonly timeoutMs: number;
	private sdk: Promise<{ client: OpenAI; TimeoutError: typeof OpenAI.APIConnectionTimeoutError }> | undefined;

	public constructor(private readonly options: PromptRewriterOptions) {
		this.timeoutMs = options.timeoutMs ?? 8_000;
	}

	/** The SDK is loaded on first use (about 10 MB of memory that bots without a key never pay). */
	private load() {
		this.sdk ??= import('openai').then(({ default: OpenAISdk }) => ({
			client: new OpenAISdk({ apiKey: this.options.apiKey, baseURL: this.options.baseUrl, maxRetries: 0, timeout: this.timeoutMs }),
			TimeoutError: OpenAISdk.APIConnectionTimeoutError,
		}));
		return this.sdk;
	}

	public async rewrite(userPrompt: string, keywords: readonly string[], context?: string): Promise<RewriteResult> {
		// Our own deadline over the whole call; when it fires, the client reports a plain abort.
		const deadline = AbortSignal.timeout(this.timeoutMs);
		let timeoutError: typeof OpenAI.APIConnectionTimeoutError | undefined;
		try {
			const sdk = await this.load();
			timeoutError = sdk.TimeoutError;
			const raw: unknown = await sdk.client.chat.completions.create(
				{
					model: this.options.model,
					temperature: 0.7,
					max_tokens: 512,
					messages: [
						{ role: 'system', content: this.options.instructions.system(keywords, context) },
						{ role: 'user', content: userPrompt },
					],
				},
				{ signal: deadline },
			);
			const parsed = completionSchema.safeParse(raw);
			const content = parsed.success ? (parsed.data.choices[0]?.message.content ?? '') : '';
			const cleaned = content.replace(/^\s*(prompt:\s*)?["'`]*/i, '').replace(/["'`]*\s*$/, '');
			if (!cleaned.trim()) return { ok: false, reason: 'empty' };
			return { ok: true, prompt: this.options.instructions.finish(cleaned, keywords) };
		} catch (error) {
			const timedOut = deadline.aborted || (timeoutError !== undefined && error instanceof timeoutError);
			return { ok: false, reason: timedOut ? 'timeout' : 'error', error };
		}
	}
}
