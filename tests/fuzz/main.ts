// `npm run fuzz [-- --count N] [--seed S] [--pg]`: thousands of random and hostile interactions at the real
// bot through the fakes; prints how many were tried and how many failed, and each failure with its input.
// `--pg` runs on the PostgreSQL server TEST_DATABASE_URL names (each run makes its own database there).
import { parseArgs } from 'node:util';
import { startWorld } from '../world.ts';
import { describe, runFuzz } from './run.ts';

const { values } = parseArgs({
	options: {
		count: { type: 'string', default: '2000' },
		seed: { type: 'string' },
		pg: { type: 'boolean', default: false },
		concurrency: { type: 'string', default: '4' },
	},
});
if (values.pg && !process.env.TEST_DATABASE_URL) {
	console.error('--pg needs TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres (scripts/postgres.sh start prints one).');
	process.exit(2);
}
if (!values.pg) delete process.env.TEST_DATABASE_URL;

const count = Number(values.count);
const world = await startWorld({ MAX_PANELS_IN_FLIGHT_PER_USER: '3', LOG_LEVEL: 'warn' });
const started = Date.now();
try {
	const result = await runFuzz(world, {
		count,
		concurrency: Number(values.concurrency),
		...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
		progress: (done, total) => {
			if (done % 100 < Number(values.concurrency) || done === total) process.stderr.write(`\r${done}/${total}`);
		},
	});
	process.stderr.write('\n');
	for (const failure of result.failures) console.log(describe(failure));
	for (const [message, times] of result.warnings) console.log(`warning logged ${times}×: ${message}`);
	console.log(
		`fuzz (${values.pg ? 'PostgreSQL' : 'SQLite'}, seed ${result.seed}): ${result.tried} interactions tried, ${result.failed} failed, in ${Math.round((Date.now() - started) / 1000)} s`,
	);
	process.exitCode = result.failed === 0 ? 0 : 1;
} finally {
	await world.close();
}
