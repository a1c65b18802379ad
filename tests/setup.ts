import { afterEach, expect } from 'vitest';

// A console.error during a test is a bug somewhere (ours or a misuse of a library): fail the test.
const errors: unknown[][] = [];
const original = console.error;
console.error = (...args: unknown[]) => {
	errors.push(args);
	original(...args);
};
afterEach(() => {
	const seen = errors.splice(0);
	expect(seen, 'console.error was called').toEqual([]);
});
