import { expect, test } from 'vitest';
import { clip, fitLines, lastLinesThatFit, oneLine } from '../../src/discord/fitText.ts';

const more = (left: number) => `…and ${left} more`;

test('a list that fits is joined whole', () => {
	expect(fitLines(['a', 'b', 'c'], 100, more)).toBe('a\nb\nc');
});

test('a list that does not fit keeps what fits and says how many were left out, within the limit', () => {
	const lines = Array.from({ length: 200 }, (_, index) => `line number ${index}`);
	const text = fitLines(lines, 2000, more);
	expect(text.length).toBeLessThanOrEqual(2000);
	const kept = text.split('\n');
	expect(kept.at(-1)).toBe(`…and ${200 - (kept.length - 1)} more`);
	expect(kept[0]).toBe('line number 0');
});

test('the newest lines are kept when only the end of a list fits', () => {
	expect(lastLinesThatFit(['one', 'two', 'three'], 10)).toEqual(['two', 'three']);
});

test('clipped text is marked, and a name inside a list stays on one line', () => {
	expect(clip('abcdef', 4)).toBe('abc…');
	expect(clip('abc', 4)).toBe('abc');
	expect(oneLine('  two\n\nlines  ', 100)).toBe('two lines');
});
