import { defineConfig } from 'vitest/config';

/** The fast tier: pure parts and the domain on a real database, without Discord (`npm run test:fast`, and what `npm run mutate` runs). */
export default defineConfig({
	test: {
		include: ['tests/unit/**/*.test.ts', 'tests/domain/**/*.test.ts'],
		setupFiles: ['tests/setup.ts'],
		testTimeout: 30_000,
		pool: 'forks',
		maxWorkers: 2,
	},
});
