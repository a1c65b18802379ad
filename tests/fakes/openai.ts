// A fake OpenAI-compatible chat completions server, for the prompt rewrite. Its `url` ends in /v1 so it
// can be given as `baseURL` to the real `openai` client, which then runs its own request and error paths.
import { randomBytes } from 'node:crypto';
import { baseFake, isRecord, startHttpFake } from './http.ts';
import type { BaseFake, FakeRequest, FakeResponse } from './http.ts';

export interface ChatMessage {
	role: string;
	content: string;
}

export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	temperature?: number;
	max_tokens?: number;
}

export type ReplyFn = (req: ChatRequest) => string;

export interface FakeOpenAIOptions {
	apiKey?: string;
	reply?: ReplyFn;
	delayMs?: number;
}

export interface FakeOpenAI extends BaseFake {
	apiKey: string;
	reply: ReplyFn;
	/** Settable at runtime, e.g. 20_000 to make the bot's timeout fire. */
	delayMs: number;
	readonly completions: { body: unknown; at: number }[];
}

export const defaultReply: ReplyFn = (req) => {
	const lastUser = [...req.messages].reverse().find((m) => m.role === 'user');
	return `REWRITTEN: ${lastUser?.content ?? ''}`;
};

const openaiError = (status: number, message: string, type: string, code: string | null): FakeResponse => ({
	status,
	body: { error: { message, type, param: null, code } },
});

// Content may be a string or an array of parts; the fake only needs the text.
function contentText(content: unknown): string | undefined {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return undefined;
	return content.map((part: unknown) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
}

function parseChatRequest(body: unknown): ChatRequest | undefined {
	if (!isRecord(body) || typeof body.model !== 'string' || !Array.isArray(body.messages)) return undefined;
	const messages: ChatMessage[] = [];
	for (const m of body.messages) {
		const content: unknown = isRecord(m) ? m.content : undefined;
		const text = contentText(content);
		if (!isRecord(m) || typeof m.role !== 'string' || text === undefined) return undefined;
		messages.push({ role: m.role, content: text });
	}
	const req: ChatRequest = { model: body.model, messages };
	if (typeof body.temperature === 'number') req.temperature = body.temperature;
	if (typeof body.max_tokens === 'number') req.max_tokens = body.max_tokens;
	return req;
}

// Rough token count (about 4 characters a token) so usage looks plausible.
const tokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
	const completions: { body: unknown; at: number }[] = [];

	const handler = async (req: FakeRequest): Promise<FakeResponse> => {
		if (req.headers.authorization !== `Bearer ${fake.apiKey}`) {
			return openaiError(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
		}
		if (req.method !== 'POST' || req.path !== '/v1/chat/completions') {
			return openaiError(404, `Unknown request URL: ${req.method} ${req.path}.`, 'invalid_request_error', 'unknown_url');
		}
		completions.push({ body: req.body, at: Date.now() });
		const chat = parseChatRequest(req.body);
		if (chat === undefined) return openaiError(400, 'Invalid chat completion request.', 'invalid_request_error', null);
		if (isRecord(req.body) && req.body.stream === true) {
			return openaiError(400, 'The fake does not support streaming.', 'invalid_request_error', null);
		}
		await server.delay(fake.delayMs);
		const content = fake.reply(chat);
		const promptTokens = tokens(chat.messages.map((m) => m.content).join('\n'));
		const completionTokens = tokens(content);
		return {
			status: 200,
			body: {
				id: `chatcmpl-${randomBytes(12).toString('hex')}`,
				object: 'chat.completion',
				created: Math.floor(Date.now() / 1000),
				model: chat.model,
				choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
				usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
			},
		};
	};

	const server = await startHttpFake(handler, {
		faultResponse: (status) =>
			status === 429
				? openaiError(429, 'Rate limit reached for requests.', 'requests', 'rate_limit_exceeded')
				: openaiError(status, 'The server had an error while processing your request.', 'server_error', null),
	});
	const fake: FakeOpenAI = {
		...baseFake(server),
		url: `${server.origin}/v1`,
		apiKey: options.apiKey ?? 'test-openai-key',
		reply: options.reply ?? defaultReply,
		delayMs: options.delayMs ?? 0,
		completions,
	};
	return fake;
}
