import type { ChatClient } from './chatClient.ts';

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
	/** The one bounded LLM client the bot has (story plans use it too). */
	readonly chat: ChatClient;
	readonly instructions: RewriteInstructions;
	/** The whole rewrite gets at most this long: the contract allows 10 s. */
	readonly timeoutMs?: number;
}

export type RewriteResult =
	| { readonly ok: true; readonly prompt: string }
	| { readonly ok: false; readonly reason: 'timeout' | 'error' | 'empty'; readonly error?: unknown };

/**
 * Rewrites a short panel description into a detailed comic-panel prompt with the bot's chat client.
 * Never throws: the caller falls back to the plain prompt.
 */
export class PromptRewriter {
	private readonly timeoutMs: number;

	public constructor(private readonly options: PromptRewriterOptions) {
		this.timeoutMs = options.timeoutMs ?? 8_000;
	}

	public async rewrite(userPrompt: string, keywords: readonly string[], context?: string): Promise<RewriteResult> {
		const answer = await this.options.chat.complete({
			system: this.options.instructions.system(keywords, context),
			user: userPrompt,
			timeoutMs: this.timeoutMs,
			maxTokens: 512,
		});
		if (!answer.ok) return answer;
		const cleaned = answer.content.replace(/^\s*(prompt:\s*)?["'`]*/i, '').replace(/["'`]*\s*$/, '');
		if (!cleaned.trim()) return { ok: false, reason: 'empty' };
		return { ok: true, prompt: this.options.instructions.finish(cleaned, keywords) };
	}
}
