import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['tests/**/*.test.ts'],
		setupFiles: ['tests/setup.ts'],
		testTimeout: 60_000,
		hookTimeout: 60_000,
		pool: 'forks',
		// Three files at once on two cores: an end-to-end file keeps a core busy less than half the time it runs
		// (it waits on local servers, the orchestrator's 1 s reads and timers), child bot processes included, so
		// three keep the two cores about two-thirds busy instead of less than half, without queueing for them.
		// Vitest's default on two cores is one file at a time. `--maxWorkers=N` overrides it for one run.
		maxWorkers: 3,
	},
});
