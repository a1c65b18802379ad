// The short version of `npm run fuzz` (tests/fuzz/): a few hundred random and hostile interactions at the
// real bot, on whichever database the suite runs on. Every one must be answered, plainly, without an error
// logged, nothing half-stored, and the victim's rows unchanged.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describe, runFuzz } from '../fuzz/run.ts';
import { startWorld, type World } from '../world.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld({ MAX_PANELS_IN_FLIGHT_PER_USER: '3' });
});
afterAll(async () => {
	await world?.close();
});

/**
 * Rules the fuzz checks whose fixes are another branch's work (issue 18, "a refusal never edits the message
 * the button is on": the press handlers in commands/buttons/). Reported here, not failed on; remove the
 * entry once that work is merged.
 */
const OPEN_ELSEWHERE = new Set<string>();

test('200 random and hostile interactions: all answered plainly, nothing logged as an error, nothing half-stored, no other user’s rows changed', async () => {
	// A fixed seed in CI, so a failure here is the same failure on the next run; `npm run fuzz` draws new ones.
	const result = await runFuzz(world, { count: 200, seed: Number(process.env.FUZZ_SEED ?? 20261204) });
	const open = result.failures.filter((failure) => OPEN_ELSEWHERE.has(failure.rule));
	console.info(
		`fuzz: ${result.tried} interactions tried, ${result.failed} failed (seed ${result.seed})${open.map((failure) => `\n${describe(failure)}`).join('')}`,
	);
	expect(result.failures.filter((failure) => !OPEN_ELSEWHERE.has(failure.rule)).map(describe)).toEqual([]);
	expect(result.tried).toBeGreaterThanOrEqual(200);
}, 120_000);
