import { expect, test } from 'vitest';
import { isShout, parseCaption, parseDialogue, plainText } from '../../../src/images/lettering/dialogue.ts';
import { LetteringError } from '../../../src/images/lettering/letteringError.ts';

test('dialogue is split on | into balloons, each with its speaker when written Name: words', () => {
	expect(parseDialogue('Mia: Did you hear that? | Rex: Hear what? | it was nothing')).toEqual([
		{ speaker: 'Mia', text: 'Did you hear that?', shout: false },
		{ speaker: 'Rex', text: 'Hear what?', shout: false },
		{ text: 'it was nothing', shout: false },
	]);
});

test('a colon inside words or a time is not a speaker, and empty parts are dropped', () => {
	expect(parseDialogue('Meet at 3:30 | | http://example.com')).toEqual([
		{ text: 'Meet at 3:30', shout: false },
		{ text: 'http://example.com', shout: false },
	]);
});

test('a line in capitals or ending with ! is shouted; one capital letter is not', () => {
	expect(isShout('WATCH OUT')).toBe(true);
	expect(isShout('Run!')).toBe(true);
	expect(isShout('I')).toBe(false);
	expect(isShout('OK?')).toBe(true);
	expect(isShout('Okay then.')).toBe(false);
	expect(isShout('42 ...')).toBe(false);
	expect(parseDialogue('Rex: NO WAY')[0]).toEqual({ speaker: 'Rex', text: 'NO WAY', shout: true });
});

test('markdown and mentions are lettered as the plain text a reader sees; @everyone stays as typed', () => {
	expect(plainText('**Look** at __this__ ~~mess~~ `code` <@123456> <@!42> <@&7> <#9> <:wave:123> @everyone')).toBe(
		'Look at this mess code @user @user @role #channel :wave: @everyone',
	);
	expect(parseDialogue('**Mia**: hi <@1>')).toEqual([{ speaker: 'Mia', text: 'hi @user', shout: false }]);
});

test('words over the option limits are refused with a LetteringError that says the limit', () => {
	expect(() => parseDialogue('a'.repeat(601))).toThrow(LetteringError);
	expect(() => parseDialogue('a'.repeat(601))).toThrow(/600/);
	expect(() => parseCaption('a'.repeat(301))).toThrow(/300/);
	expect(parseCaption('  ')).toBeUndefined();
	expect(parseCaption(' Later, __that__ night. ')).toBe('Later, that night.');
});
