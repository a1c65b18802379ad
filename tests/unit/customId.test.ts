import { expect, test } from 'vitest';
import { z } from 'zod';
import { arg, createCodec, CUSTOM_ID_MAX, decode, encode } from '../../commands/buttons/customId.ts';

const projectId = '0b5e8f4e-6a8c-4d5b-9a51-3c2f6d1e7a90';

test('a project-delete id reads back as the family and arguments it was written from', () => {
	const customId = encode('project-delete', ['confirm', projectId]);
	expect(customId).toBe(`project-delete:confirm:${projectId}`);
	expect(decode(customId)).toEqual({ family: 'project-delete', args: ['confirm', projectId] });
});

test('the account-link modal id has no arguments and reads back', () => {
	expect(encode('account-link', [])).toBe('account-link');
	expect(decode('account-link')).toEqual({ family: 'account-link', args: [] });
	expect(decode('account-link:extra')).toBeUndefined();
});

test('ids already posted in servers by earlier versions still decode', () => {
	expect(decode(`project-delete:cancel:${projectId}`)).toEqual({ family: 'project-delete', args: ['cancel', projectId] });
	expect(decode(`project-delete:confirm:${projectId.toUpperCase()}`)?.family).toBe('project-delete');
});

test.each(['old-feature:1', 'reroll', '', ':confirm', 'PROJECT-DELETE:confirm:x'])('an unknown prefix (%j) decodes to undefined', (customId) => {
	expect(decode(customId)).toBeUndefined();
});

test.each([
	`project-delete:explode:${projectId}`,
	'project-delete:confirm:123',
	'project-delete:confirm',
	'project-delete:confirm:',
	`project-delete:confirm:${projectId}:extra`,
	`project-delete:${projectId}:confirm`,
])('malformed arguments (%j) decode to undefined', (customId) => {
	expect(decode(customId)).toBeUndefined();
});

const codec = createCodec({
	page: z.tuple([arg.uuid(), arg.int()]),
	note: z.tuple([arg.text()]),
	mode: z.tuple([arg.oneOf('a', 'b'), arg.int()]),
});

test('integers and text round trip with their types', () => {
	expect(codec.decode(codec.encode('page', [projectId, 12]))).toEqual({ family: 'page', args: [projectId, 12] });
	expect(codec.decode(codec.encode('page', [projectId, -3]))).toEqual({ family: 'page', args: [projectId, -3] });
	expect(codec.decode(codec.encode('page', [projectId, 0]))).toEqual({ family: 'page', args: [projectId, 0] });
	expect(codec.decode(codec.encode('note', ['hello world']))).toEqual({ family: 'note', args: ['hello world'] });
	expect(codec.decode(codec.encode('mode', ['b', 7]))).toEqual({ family: 'mode', args: ['b', 7] });
});

test.each([`page:${projectId}:01`, `page:${projectId}:1.5`, `page:${projectId}:1e3`, `page:${projectId}: 4`, `page:${projectId}:9007199254740993`, 'note:'])(
	'an integer or text that is not written the way the codec writes it (%j) decodes to undefined',
	(customId) => {
		expect(codec.decode(customId)).toBeUndefined();
	},
);

test('an id longer than Discord allows is refused when it is written', () => {
	const fits = 'x'.repeat(CUSTOM_ID_MAX - 'note:'.length);
	expect(codec.encode('note', [fits])).toHaveLength(CUSTOM_ID_MAX);
	expect(() => codec.encode('note', [`${fits}x`])).toThrow(RangeError);
});

test('arguments that would not read back are refused when they are written, not when the button is pressed', () => {
	expect(() => codec.encode('note', ['a:b'])).toThrow(TypeError);
	expect(() => codec.encode('note', [''])).toThrow(TypeError);
	expect(() => codec.encode('page', ['not-a-uuid', 1])).toThrow(TypeError);
	expect(() => codec.encode('page', [projectId, 1.5])).toThrow(TypeError);
	expect(() => codec.encode('page', [projectId, Number.MAX_SAFE_INTEGER + 2])).toThrow(TypeError);
});

test('the refusals at writing name the family and what is wrong', () => {
	const fits = 'x'.repeat(CUSTOM_ID_MAX - 'note:'.length);
	expect(() => codec.encode('note', [`${fits}x`])).toThrow(`A note custom id is ${CUSTOM_ID_MAX + 1} characters long; Discord allows ${CUSTOM_ID_MAX}.`);
	expect(() => codec.encode('note', ['a:b'])).toThrow('The arguments of a note custom id do not read back as note declares them.');
});
