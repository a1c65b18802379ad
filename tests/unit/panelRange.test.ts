import { expect, test } from 'vitest';
import { UserFacingError } from '../../src/comic/errors.ts';
import { panelRange } from '../../src/comic/export/range.ts';

test('a range is one number or low-high within the project; all panels when left out', () => {
	expect(panelRange(undefined, 12)).toEqual({ from: 1, to: 12 });
	expect(panelRange('3', 12)).toEqual({ from: 3, to: 3 });
	expect(panelRange(' 2 – 8 ', 12)).toEqual({ from: 2, to: 8 });
	expect(() => panelRange('8-2', 12)).toThrow(UserFacingError);
	expect(() => panelRange('13', 12)).toThrow('panels 1 to 12');
	expect(() => panelRange(null, 0)).toThrow('no panels yet');
});

test('more than 60 panels is refused, saying which ranges to export instead', () => {
	expect(panelRange('1-60', 100)).toEqual({ from: 1, to: 60 });
	expect(() => panelRange(undefined, 100)).toThrow(
		'at most 60 panels and this asks for 100. Export a range at a time with the `panels` option, e.g. `1-60`, then `61-100`',
	);
});
