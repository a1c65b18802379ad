import { expect, test } from 'vitest';
import { cutPrompt, fallbackPrompt, MAX_PROMPT_LENGTH, rewriteSystemPrompt, withTriggerWords } from '../../src/comic/prompt.ts';

test('the fallback prompt is the trained words joined with ", " then the prompt', () => {
	expect(fallbackPrompt(['mychar', 'red scarf'], 'she jumps across the rooftops')).toBe('mychar, red scarf, she jumps across the rooftops');
});

test('the fallback prompt skips empty trained words and works without any', () => {
	expect(fallbackPrompt(['', '  '], '  a quiet street ')).toBe('a quiet street');
});

test('prompts are cut to 1500 characters at a word boundary', () => {
	const long = Array.from({ length: 400 }, (_, index) => `word${index}`).join(' ');
	const cut = cutPrompt(long);
	expect(cut.length).toBeLessThanOrEqual(MAX_PROMPT_LENGTH);
	expect(long.startsWith(cut)).toBe(true);
	expect(long[cut.length]).toBe(' ');
});

test('a prompt without spaces is still cut to the limit', () => {
	expect(cutPrompt('x'.repeat(5000))).toHaveLength(MAX_PROMPT_LENGTH);
});

test('the system prompt asks for the trigger words first, pose, setting, lighting, composition, no negatives, the limit', () => {
	const system = rewriteSystemPrompt(['mychar', 'red scarf']);
	for (const part of ['mychar, red scarf', 'pose', 'expression', 'setting', 'lighting', 'comic panel', 'no negative terms', '1500'])
		expect(system).toContain(part);
});

test('a rewrite that dropped the trigger words gets them back in front', () => {
	expect(withTriggerWords('a hero on a roof', ['mychar'])).toBe('mychar, a hero on a roof');
	expect(withTriggerWords('MyChar on a roof', ['mychar'])).toBe('MyChar on a roof');
});
