import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['tests/**/*.test.ts'],
		setupFiles: ['tests/setup.ts'],
		testTimeout: 60_000,
		hookTimeout: 60_000,
		pool: 'forks',
		// Two files at once on two cores: the tests mostly wait on local servers and timers (Vitest's default
		// on two cores is one file at a time, about twice as long).
		maxWorkers: 2,
	},
});
