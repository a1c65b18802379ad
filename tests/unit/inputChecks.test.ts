import { expect, test } from 'vitest';
import { comicGuildCommand } from '../../commands/definitions/comic.ts';
import { quote } from '../../src/comic/names.ts';
import { parsePlan } from '../../src/comic/stories/plan.ts';
import { unsafeCharacter } from '../../src/comic/text.ts';

/** Every option of `/comic` below its groups and subcommands, with its path. */
function leafOptions(): { path: string; option: Record<string, unknown> }[] {
	const found: { path: string; option: Record<string, unknown> }[] = [];
	const walk = (options: readonly unknown[], path: string) => {
		for (const option of options) {
			if (typeof option !== 'object' || option === null) continue;
			const name = String(Reflect.get(option, 'name'));
			const nested = Reflect.get(option, 'options');
			const type = Reflect.get(option, 'type');
			if (type === 1 || type === 2) walk(Array.isArray(nested) ? nested : [], `${path} ${name}`);
			else found.push({ path: `${path} ${name}`, option: { ...option } });
		}
	};
	walk(comicGuildCommand.options ?? [], 'comic');
	return found;
}

test('every integer and number option declares a range inside a 32-bit integer', () => {
	const numeric = leafOptions().filter(({ option }) => option['type'] === 4 || option['type'] === 10);
	expect(numeric.length).toBeGreaterThan(5);
	for (const { path, option } of numeric) {
		expect(option['min_value'], path).toBeTypeOf('number');
		expect(option['max_value'], path).toBeTypeOf('number');
		expect(Number(option['max_value']), path).toBeLessThan(2 ** 31);
	}
});

test('every text option declares a maximum length', () => {
	for (const { path, option } of leafOptions().filter(({ option }) => option['type'] === 3 && !option['choices']))
		expect(option['max_length'], path).toBeTypeOf('number');
});

test('control characters and unpaired surrogates are found; tabs, line breaks and whole emoji are not', () => {
	expect(unsafeCharacter('a\u0000b')).toContain('U+0000');
	expect(unsafeCharacter('a\u001bb')).toContain('U+001B');
	expect(unsafeCharacter('a\u007fb')).toContain('U+007F');
	expect(unsafeCharacter('a\u009fb')).toContain('U+009F');
	expect(unsafeCharacter('\ud83d')).toContain('broken');
	expect(unsafeCharacter('x\ude00')).toContain('broken');
	expect(unsafeCharacter('\ude00\ud83d')).toContain('broken');
	expect(unsafeCharacter('tab\tline\r\nemoji 😀 ünïcödé 漢字')).toBeUndefined();
});

test('quote escapes inline Markdown anywhere and block Markdown at the start of any line', () => {
	expect(quote('[click](https://evil.example)')).toBe('\\[click\\](https://evil.example)');
	expect(quote('# big\n> q\n- a\n+ b\n12. c\n  -# small')).toBe('\\# big\n\\> q\n\\- a\n\\+ b\n12\\. c\n  \\-# small');
	expect(quote('*b* _i_ ~~s~~ ||sp|| `c` <#1> <t:1:R> \\')).toBe('\\*b\\* \\_i\\_ \\~\\~s\\~\\~ \\|\\|sp\\|\\| \\`c\\` \\<#1> \\<t:1:R> \\\\');
	expect(quote('@everyone')).toBe('@\u200beveryone');
	// Mid-line, these marks form nothing and stay as typed.
	expect(quote('Mira (5) a-b #1 > 2 1. x')).toBe('Mira (5) a-b #1 > 2 1. x');
});

test("a story plan's text loses control and broken characters before it is checked and stored", () => {
	const answer = JSON.stringify({
		panels: [
			{ description: 'A map\u0000 in the \ud800rain', characters: ['Mira\u0007'], caption: 'Night\u001b', dialogue: 'Mira: go\u0085' },
			{ description: '\u0000 ' },
		],
	});
	expect(parsePlan(answer, ['Mira'], undefined)).toMatchObject({ ok: false, problem: expect.stringContaining('shape') });
	const fixed = answer.replace('"\\u0000 "', '"The door"');
	expect(parsePlan(fixed, ['Mira'], undefined)).toEqual({
		ok: true,
		plan: {
			panels: [
				{ description: 'A map in the rain', characters: ['Mira'], caption: 'Night', dialogue: 'Mira: go' },
				{ description: 'The door', characters: [] },
			],
		},
	});
});
