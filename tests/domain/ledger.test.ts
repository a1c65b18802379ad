// The limits ledger on a real database without Discord: what an admission counts, how a Buzz budget
// refuses (what is left, when enough frees), and that a correction replaces the estimate. This is the API
// a new way of drawing calls: checkLimits with its estimate, then recordDrawingUsage in its transaction.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buzzSince, correctUsage, DAY_MS, recordDrawingUsage } from '../../src/accounts/ledger.ts';
import { usageOf } from '../../src/accounts/usage.ts';
import { UserFacingError } from '../../src/comic/errors.ts';
import { checkLimits } from '../../src/comic/drawings/checkLimits.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { freshDatabase } from '../databases.ts';

let database: Database;
let dropDatabase: () => Promise<void>;
let dataDir: string;
const NOW = Date.parse('2026-12-04T12:00:00Z');
const HOUR = 60 * 60_000;

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'comic-ledger-'));
	const fresh = await freshDatabase();
	dropDatabase = fresh.drop;
	database = await openDatabase({ databaseUrl: fresh.url, dataDir });
});

afterAll(async () => {
	await database?.close();
	await dropDatabase?.();
	rmSync(dataDir, { recursive: true, force: true });
});

/** Admits one drawing of `buzz` at `at`, as the admitting transactions do (the drawing itself is not needed). */
async function admit(userId: string, guildId: string, buzz: number, at: number): Promise<string> {
	const drawingId = `d-${Math.random()}`;
	await database.db.$transaction((tx) => recordDrawingUsage(tx, { drawingId, userId, guildId, kind: 'change', paidBy: 'bot', buzzEstimated: buzz }, at));
	return drawingId;
}

async function refusal(promise: Promise<void>): Promise<UserFacingError> {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	if (!(error instanceof UserFacingError)) throw new Error(`expected a refusal, got ${String(error)}`);
	return error;
}

test('a Buzz budget refuses what would pass it, says what is left and when enough frees up; a correction replaces the estimate', async () => {
	const limits = { inFlightPerUser: 2, perUserPerDay: 100, buzzPerUserPerDay: 300 };
	const request = { ownerId: 'u-buzz', guildId: 'g-buzz' };
	const first = await admit('u-buzz', 'g-buzz', 120, NOW - 20 * HOUR);
	await admit('u-buzz', 'g-buzz', 100, NOW - 10 * HOUR);
	await checkLimits(database.db, limits, request, NOW, 1, 80);

	const refused = await refusal(checkLimits(database.db, limits, request, NOW, 1, 150));
	expect(refused.message).toContain('about 150 Buzz');
	expect(refused.message).toContain('daily budget of 300 Buzz has 80 left (220 used');
	// 70 too many: the oldest (120) leaves the 24 hours 4 hours from now.
	expect(refused.when?.at.getTime()).toBe(NOW - 20 * HOUR + DAY_MS);

	// The first cost 40 in the end: 160 used, 150 fits.
	await correctUsage(database.db, first, 40);
	expect(await buzzSince(database.db, { userId: 'u-buzz' }, NOW - DAY_MS)).toBe(140);
	await checkLimits(database.db, limits, request, NOW, 1, 150);

	// More than the whole budget never fits: no moment to wait for.
	expect((await refusal(checkLimits(database.db, limits, request, NOW, 1, 400))).when).toBeUndefined();
});

test('the daily panel limit counts ledger rows of the last 24 hours, whatever became of the drawings; usage reads the same rows', async () => {
	const limits = { inFlightPerUser: 2, perUserPerDay: 2, perGuildPerDay: 3 };
	await admit('u-count', 'g-count', 10, NOW - 30 * HOUR); // outside the 24 hours
	await admit('u-count', 'g-count', 10, NOW - 5 * HOUR);
	await checkLimits(database.db, limits, { ownerId: 'u-count', guildId: 'g-count' }, NOW);
	await admit('u-count', 'g-count', 10, NOW - 1 * HOUR);
	const refused = await refusal(checkLimits(database.db, limits, { ownerId: 'u-count', guildId: 'g-count' }, NOW));
	expect(refused.message).toContain('You have drawn 2 panels in the last 24 hours');
	expect(refused.when?.at.getTime()).toBe(NOW - 5 * HOUR + DAY_MS);

	await admit('u-other', 'g-count', 10, NOW - 1 * HOUR);
	const server = await refusal(checkLimits(database.db, limits, { ownerId: 'u-new', guildId: 'g-count' }, NOW));
	expect(server.message).toContain('This server has drawn 3 panels');

	expect(await usageOf(database.db, { userId: 'u-count' }, NOW)).toEqual({ day: { panels: 2, buzz: 20 }, month: { panels: 3, buzz: 30 } });
});
