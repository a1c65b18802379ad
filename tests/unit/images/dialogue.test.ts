import { expect, test } from 'vitest';
import { isShout, parseCaption, parseDialogue, plainText, typeset } from '../../../src/images/lettering/dialogue.ts';
import { LetteringError } from '../../../src/images/lettering/letteringError.ts';

test('dialogue is split on | into balloons, each with its speaker when written Name: words', () => {
	expect(parseDialogue('Mia: Did you hear that? | Rex: Hear what? | it was nothing')).toEqual([
		{ speaker: 'Mia', text: 'Did you hear that?', voice: 'speech' },
		{ speaker: 'Rex', text: 'Hear what?', voice: 'speech' },
		{ text: 'it was nothing', voice: 'speech' },
	]);
});

test('a colon inside words or a time is not a speaker, and empty parts are dropped', () => {
	expect(parseDialogue('Meet at 3:30 | | http://example.com')).toEqual([
		{ text: 'Meet at 3:30', voice: 'speech' },
		{ text: 'http://example.com', voice: 'speech' },
	]);
});

test('only capitals ending with ! shout unmarked; (shout), (whisper) and (thought) markers choose the balloon', () => {
	expect(isShout('WATCH OUT!')).toBe(true);
	expect(isShout('NO WAY!?')).toBe(true);
	expect(isShout('Run!')).toBe(false);
	expect(isShout('OK')).toBe(false);
	expect(isShout('OK?')).toBe(false);
	expect(isShout('I!')).toBe(false);
	expect(isShout('42 ...')).toBe(false);
	expect(parseDialogue('Rex: NO WAY!')[0]).toEqual({ speaker: 'Rex', text: 'NO WAY!', voice: 'shout' });
	expect(parseDialogue('Rex: (shout) come back')[0]).toEqual({ speaker: 'Rex', text: 'come back', voice: 'shout' });
	expect(parseDialogue('Mia: (whisper) stay down | (thinks) odd | (Thought) hm')).toEqual([
		{ speaker: 'Mia', text: 'stay down', voice: 'whisper' },
		{ text: 'odd', voice: 'thought' },
		{ text: 'hm', voice: 'thought' },
	]);
});

test('typewriter habits are set as a letterer would: curly quotes and apostrophes, em dashes, ellipses', () => {
	expect(typeset(`"It's fine," she said -- 'really'... don't`)).toBe('“It’s fine,” she said—‘really’… don’t');
	expect(parseDialogue(`Mia: Wait--what?`)[0]?.text).toBe('Wait—what?');
	expect(parseCaption('Later...')).toBe('Later…');
});

test('mentions become plain text; emphasis marks stay for the layout; @everyone stays as typed', () => {
	expect(plainText('**Look** at __this__ ~~mess~~ `code` <@123456> <@!42> <@&7> <#9> <:wave:123> @everyone')).toBe(
		'**Look** at __this__ mess code @user @user @role #channel :wave: @everyone',
	);
	expect(parseDialogue('**Mia**: hi <@1>')).toEqual([{ speaker: 'Mia', text: 'hi @user', voice: 'speech' }]);
});

test('words over the option limits are refused with a LetteringError that says the limit', () => {
	expect(() => parseDialogue('a'.repeat(601))).toThrow(LetteringError);
	expect(() => parseDialogue('a'.repeat(601))).toThrow(/600/);
	expect(() => parseCaption('a'.repeat(301))).toThrow(/300/);
	expect(parseCaption('  ')).toBeUndefined();
	expect(parseCaption(' Later, __that__ night. ')).toBe('Later, __that__ night.');
});
