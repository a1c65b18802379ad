import { expect, test } from 'vitest';
import { findMentions } from '../../src/comic/panels/mentions.ts';

const cast = [{ name: 'Mary' }, { name: 'Mary Jane' }, { name: "O'Neil" }, { name: 'Jean-Luc' }];

test('the longest name wins, case does not matter, the @ is dropped', () => {
	const found = findMentions('@mary jane meets @MARY.', cast);
	expect(found.characters.map((c) => c.name)).toEqual(['Mary Jane', 'Mary']);
	expect(found.text).toBe('mary jane meets MARY.');
});

test('a mention ends at a space or punctuation, not inside a word', () => {
	expect(findMentions('@Maryland', cast).characters).toEqual([]);
	expect(findMentions('(@Mary)', cast).characters.map((c) => c.name)).toEqual(['Mary']);
	expect(findMentions('@Mary]', cast).text).toBe('Mary]');
});

test('names with apostrophes and hyphens; an unknown name stays as typed; each character once', () => {
	const found = findMentions("@o'neil, @Jean-Luc! @ghost and @Jean-Luc", cast);
	expect(found.characters.map((c) => c.name)).toEqual(["O'Neil", 'Jean-Luc']);
	expect(found.text).toBe("o'neil, Jean-Luc! @ghost and Jean-Luc");
});
