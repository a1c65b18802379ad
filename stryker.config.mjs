// Mutation testing of the code the bot's guarantees rest on (`npm run mutate`): the job runner and its
// table, the custom-id codec, the key vault, the request signatures, the orchestrator callbacks, the
// interaction inbox and the limits ledger. It runs the fast test tier
// (vitest.fast.config.ts) against each mutant and prints the mutation score.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	testRunner: 'vitest',
	vitest: { configFile: 'vitest.fast.config.ts' },
	plugins: ['@stryker-mutator/vitest-runner'],
	coverageAnalysis: 'perTest',
	mutate: [
		'src/jobs/**/*.ts',
		'src/db/drawingJobs.ts',
		'commands/buttons/customId.ts',
		'src/accounts/crypto.ts',
		'src/http/verifySignature.ts',
		'src/http/callbacks.ts',
		'src/db/inbox.ts',
		'src/accounts/ledger.ts',
		'src/comic/drawings/checkLimits.ts',
	],
	ignorePatterns: ['data', 'dist', 'coverage', '.tmp', 'reports'],
	reporters: ['clear-text', 'progress'],
	concurrency: 1,
	ignoreStatic: true,
	timeoutMS: 20_000,
	thresholds: { high: 90, low: 85, break: null },
	tempDirName: '.tmp/stryker',
	cleanTempDir: 'always',
};
