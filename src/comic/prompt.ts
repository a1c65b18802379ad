/** The orchestrator gets at most this many characters of prompt, whoever wrote it. */
export const MAX_PROMPT_LENGTH = 1500;

/** Cuts a prompt to the limit, at a word or comma boundary when one is near the end. */
export function cutPrompt(prompt: string, max = MAX_PROMPT_LENGTH): string {
	const text = prompt.replace(/\s+/g, ' ').trim();
	if (text.length <= max) return text;
	const cut = text.slice(0, max);
	const boundary = Math.max(cut.lastIndexOf(', '), cut.lastIndexOf(' '));
	return (boundary > max * 0.8 ? cut.slice(0, boundary) : cut).replace(/[\s,]+$/, '');
}

/** Without the LLM: the LoRA's trigger words, then what the user asked for. */
export function fallbackPrompt(trainedWords: readonly string[], userPrompt: string): string {
	const words = trainedWords.map((word) => word.trim()).filter((word) => word.length > 0);
	return cutPrompt([...words, userPrompt.trim()].join(', '));
}

export function rewriteSystemPrompt(trainedWords: readonly string[], context?: string): string {
	const triggers = trainedWords.filter((word) => word.trim().length > 0).join(', ');
	return [
		'You write prompts for an image generator that draws comic panels.',
		"Rewrite the user's panel description into a single detailed image prompt.",
		triggers ? `Start the prompt with these trigger words, exactly as written: ${triggers}.` : 'The character has no trigger words.',
		...(context ? [context] : []),
		"Describe the characters' poses and expressions, the setting and the lighting.",
		'Add composition terms such as "comic panel", "dynamic angle", and quality terms such as "highly detailed", "clean line art".',
		`Keep it under ${MAX_PROMPT_LENGTH} characters. Include no negative terms, no explanation, no quotes and no preamble: answer with the prompt only.`,
	].join(' ');
}

/** Makes sure a rewritten prompt still carries the trigger words (an LLM may drop them). */
export function withTriggerWords(prompt: string, trainedWords: readonly string[]): string {
	const missing = trainedWords.filter((word) => word.trim() && !prompt.toLowerCase().includes(word.trim().toLowerCase()));
	return cutPrompt(missing.length ? `${missing.join(', ')}, ${prompt}` : prompt);
}

/** How the LLM rewrites a panel prompt (the `instructions` of src/llm/promptRewriter.ts): keywords are the trigger words. */
export const panelRewrite = {
	system: rewriteSystemPrompt,
	finish: (answer: string, trainedWords: readonly string[]): string => withTriggerWords(cutPrompt(answer, MAX_PROMPT_LENGTH), trainedWords),
};
