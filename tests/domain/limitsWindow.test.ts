// The limits ledger's 24-hour window and the limits check's wording, on a real database without Discord:
// exactly what counts (drawings, not story plans; the last 24 hours to the millisecond), what a refusal
// says, and when it says places free up again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
	buzzSince,
	correctUsage,
	DAY_MS,
	drawingCount,
	estimateLoraBuzz,
	LORA_BUZZ_PER_PICTURE,
	oldestDrawings,
	recordDrawingUsage,
	recordStoryPlanUsage,
	reviseEstimate,
	storyPlansSince,
} from '../../src/accounts/ledger.ts';
import { UserFacingError } from '../../src/comic/errors.ts';
import { checkBuzzBudgets, checkLimits, type PanelLimits } from '../../src/comic/drawings/checkLimits.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { freshDatabase } from '../databases.ts';

let database: Database;
let dropDatabase: () => Promise<void>;
let dataDir: string;
const NOW = Date.parse('2026-12-04T12:00:00Z');
const HOUR = 60 * 60_000;

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'comic-window-'));
	const fresh = await freshDatabase();
	dropDatabase = fresh.drop;
	database = await openDatabase({ databaseUrl: fresh.url, dataDir });
});

afterAll(async () => {
	await database?.close();
	await dropDatabase?.();
	rmSync(dataDir, { recursive: true, force: true });
});

let serial = 0;
async function admit(userId: string, guildId: string | null, buzz: number, at: number): Promise<string> {
	const drawingId = `d-${++serial}`;
	await database.db.$transaction((tx) => recordDrawingUsage(tx, { drawingId, userId, guildId, kind: 'panel', paidBy: 'bot', buzzEstimated: buzz }, at));
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

test('a LoRA drawing is estimated at 10 Buzz a picture, at least one picture', () => {
	expect(LORA_BUZZ_PER_PICTURE).toBe(10);
	expect(estimateLoraBuzz(0)).toBe(10);
	expect(estimateLoraBuzz(1)).toBe(10);
	expect(estimateLoraBuzz(4)).toBe(40);
});

test('the window is the 24 hours before now to the millisecond, and story plans are not drawings', async () => {
	await admit('u-edge', 'g-edge', 5, NOW - DAY_MS);
	await admit('u-edge', 'g-edge', 7, NOW - DAY_MS - 1);
	await admit('u-edge', 'g-edge', 11, NOW - 1);
	await database.db.$transaction((tx) => recordStoryPlanUsage(tx, { userId: 'u-edge', guildId: 'g-edge' }, NOW - HOUR));
	expect(await drawingCount(database.db, { userId: 'u-edge' }, NOW)).toBe(2);
	expect(await drawingCount(database.db, { guildId: 'g-edge' }, NOW)).toBe(2);
	expect(await drawingCount(database.db, { userId: 'u-edge', guildId: 'another' }, NOW)).toBe(0);
	expect(await buzzSince(database.db, { userId: 'u-edge' }, NOW - DAY_MS)).toBe(16);
	expect(await oldestDrawings(database.db, { userId: 'u-edge' }, NOW, 10)).toEqual([
		{ at: new Date(NOW - DAY_MS), buzz: 5 },
		{ at: new Date(NOW - 1), buzz: 11 },
	]);
	expect(await oldestDrawings(database.db, { userId: 'u-edge' }, NOW, 1)).toEqual([{ at: new Date(NOW - DAY_MS), buzz: 5 }]);
});

test('story plans are counted on their own, oldest first, within the 24 hours, at most the number asked', async () => {
	for (const at of [NOW - DAY_MS - 1, NOW - 3 * HOUR, NOW - DAY_MS, NOW - HOUR])
		await database.db.$transaction((tx) => recordStoryPlanUsage(tx, { userId: 'u-plans', guildId: null }, at));
	await admit('u-plans', null, 10, NOW - HOUR);
	expect(await storyPlansSince(database.db, 'u-plans', NOW, 10)).toEqual([new Date(NOW - DAY_MS), new Date(NOW - 3 * HOUR), new Date(NOW - HOUR)]);
	expect(await storyPlansSince(database.db, 'u-plans', NOW, 2)).toEqual([new Date(NOW - DAY_MS), new Date(NOW - 3 * HOUR)]);
	const row = await database.db.usageEntry.findFirstOrThrow({ where: { userId: 'u-plans', kind: 'story-plan' } });
	expect([row.kind, row.drawingId, row.guildId]).toEqual(['story-plan', null, null]);
});

test('a correction replaces the estimate in the Buzz counted and in the oldest drawings; an uncorrected one counts its estimate', async () => {
	const first = await admit('u-fix', null, 30, NOW - 2 * HOUR);
	await admit('u-fix', null, 20, NOW - HOUR);
	await correctUsage(database.db, first, 0);
	expect(await buzzSince(database.db, { userId: 'u-fix' }, NOW - DAY_MS)).toBe(20);
	expect((await oldestDrawings(database.db, { userId: 'u-fix' }, NOW, 5)).map((row) => row.buzz)).toEqual([0, 20]);
	expect(await buzzSince(database.db, { userId: 'nobody' }, NOW - DAY_MS)).toBe(0);
});

test('several panels that would pass the daily limit are refused together, saying how many were drawn, with no moment to wait for', async () => {
	const limits: PanelLimits = { inFlightPerUser: 20, perUserPerDay: 5 };
	for (const hours of [10, 8, 6]) await admit('u-many', null, 10, NOW - hours * HOUR);
	await checkLimits(database.db, limits, { ownerId: 'u-many', guildId: null }, NOW, 2);
	const refused = await refusal(checkLimits(database.db, limits, { ownerId: 'u-many', guildId: null }, NOW, 3));
	expect(refused.message).toBe('These 3 panels would pass your daily limit of 5 panels: you have drawn 3 in the last 24 hours. Nothing was drawn.');
	expect(refused.when).toBeUndefined();
});

test('a full day refuses one panel or several alike, and names when enough places free up (the limit lowered below what was drawn)', async () => {
	for (const hours of [20, 15, 10, 5]) await admit('u-full', null, 10, NOW - hours * HOUR);
	const one = await refusal(checkLimits(database.db, { inFlightPerUser: 20, perUserPerDay: 4 }, { ownerId: 'u-full', guildId: null }, NOW));
	expect(one.message).toBe('You have drawn 4 panels in the last 24 hours, the daily limit.');
	expect(one.when).toEqual({ lead: 'You can draw again', at: new Date(NOW - 20 * HOUR + DAY_MS) });
	const several = await refusal(checkLimits(database.db, { inFlightPerUser: 20, perUserPerDay: 4 }, { ownerId: 'u-full', guildId: null }, NOW, 2));
	expect(several.message).toBe('You have drawn 4 panels in the last 24 hours, the daily limit.');
	// Lowered to 2: two must leave the window before one more fits, then the third oldest.
	const lowered = await refusal(checkLimits(database.db, { inFlightPerUser: 20, perUserPerDay: 2 }, { ownerId: 'u-full', guildId: null }, NOW));
	expect(lowered.when?.at).toEqual(new Date(NOW - 10 * HOUR + DAY_MS));
	await checkLimits(database.db, { inFlightPerUser: 20, perUserPerDay: 5 }, { ownerId: 'u-full', guildId: null }, NOW);
});

test('a daily limit of 0 refuses at once, with no moment to wait for', async () => {
	const refused = await refusal(checkLimits(database.db, { inFlightPerUser: 2, perUserPerDay: 0 }, { ownerId: 'u-zero', guildId: null }, NOW));
	expect(refused.message).toBe('You have drawn 0 panels in the last 24 hours, the daily limit.');
	expect(refused.when).toBeUndefined();
});

test("a server's daily limit counts every member's drawings there, says when panels can be drawn there again, and only applies in that server", async () => {
	const limits: PanelLimits = { inFlightPerUser: 20, perUserPerDay: 100, perGuildPerDay: 3 };
	await admit('member-1', 'g-server', 10, NOW - 12 * HOUR);
	await admit('member-2', 'g-server', 10, NOW - 6 * HOUR);
	await checkLimits(database.db, limits, { ownerId: 'member-3', guildId: 'g-server' }, NOW);
	const refusedTwo = await refusal(checkLimits(database.db, limits, { ownerId: 'member-3', guildId: 'g-server' }, NOW, 2));
	expect(refusedTwo.message).toBe('This server has drawn 3 panels in the last 24 hours, its daily limit.');
	await admit('member-3', 'g-server', 10, NOW - HOUR);
	const refused = await refusal(checkLimits(database.db, limits, { ownerId: 'member-4', guildId: 'g-server' }, NOW));
	expect(refused.when).toEqual({ lead: 'Panels can be drawn here again', at: new Date(NOW - 12 * HOUR + DAY_MS) });
	// In a direct message, or in another server, the server's count is not the user's.
	await checkLimits(database.db, limits, { ownerId: 'member-1', guildId: null }, NOW);
	await checkLimits(database.db, limits, { ownerId: 'member-1', guildId: 'g-elsewhere' }, NOW);
	await checkLimits(database.db, { inFlightPerUser: 20, perUserPerDay: 100 }, { ownerId: 'member-4', guildId: 'g-server' }, NOW);
});

test('a Buzz budget is checked only for a drawing with a cost; what is left is never negative, and a fit exactly at the budget passes', async () => {
	const limits: PanelLimits = { inFlightPerUser: 20, perUserPerDay: 100, buzzPerUserPerDay: 100 };
	const request = { ownerId: 'u-budget', guildId: null };
	await admit('u-budget', null, 60, NOW - 3 * HOUR);
	await checkLimits(database.db, limits, request, NOW, 1, 40);
	await admit('u-budget', null, 70.4, NOW - 2 * HOUR);
	// 130.4 used of 100: nothing left, and a cost of nothing is not checked.
	await checkLimits(database.db, limits, request, NOW, 1, 0);
	const refused = await refusal(checkLimits(database.db, limits, request, NOW, 1, 9.2));
	expect(refused.message).toBe(
		'This would cost about 10 Buzz, and your daily budget of 100 Buzz has 0 left (131 used in the last 24 hours). Nothing was drawn.',
	);
	// 39.6 too many: the oldest (60) leaving is enough.
	expect(refused.when).toEqual({ lead: 'Enough frees up', at: new Date(NOW - 3 * HOUR + DAY_MS) });
});

test('a Buzz refusal names the drawing after which enough is freed, counting the oldest first', async () => {
	const limits: PanelLimits = { inFlightPerUser: 20, perUserPerDay: 100, buzzPerUserPerDay: 100 };
	for (const [hours, buzz] of [
		[20, 10],
		[15, 10],
		[10, 30],
		[5, 40],
	] as const)
		await admit('u-order', null, buzz, NOW - hours * HOUR);
	// 90 used, 45 asked: 35 too many, freed by the first three (10 + 10 + 30 ≥ 35), not the first two (20).
	const refused = await refusal(checkLimits(database.db, limits, { ownerId: 'u-order', guildId: null }, NOW, 1, 45));
	expect(refused.message).toContain('has 10 left (90 used');
	expect(refused.when?.at).toEqual(new Date(NOW - 10 * HOUR + DAY_MS));
	// Exactly enough freed by the first two: 20 too many.
	const exact = await refusal(checkLimits(database.db, limits, { ownerId: 'u-order', guildId: null }, NOW, 1, 30));
	expect(exact.when?.at).toEqual(new Date(NOW - 15 * HOUR + DAY_MS));
});

test("a server's Buzz budget refuses in the server's words; without a server it does not apply", async () => {
	const limits: PanelLimits = { inFlightPerUser: 20, perUserPerDay: 100, buzzPerGuildPerDay: 50 };
	await admit('someone', 'g-buzz', 40, NOW - 4 * HOUR);
	await checkLimits(database.db, limits, { ownerId: 'u-guest', guildId: 'g-buzz' }, NOW, 1, 10);
	const refused = await refusal(checkLimits(database.db, limits, { ownerId: 'u-guest', guildId: 'g-buzz' }, NOW, 1, 11));
	expect(refused.message).toBe(
		"This would cost about 11 Buzz, and this server's daily budget of 50 Buzz has 10 left (40 used in the last 24 hours). Nothing was drawn.",
	);
	expect(refused.when).toEqual({ lead: 'Enough frees up', at: new Date(NOW - 4 * HOUR + DAY_MS) });
	await checkLimits(database.db, limits, { ownerId: 'u-guest', guildId: null }, NOW, 1, 60);
	// No budget set: any cost passes.
	await checkLimits(database.db, { inFlightPerUser: 20, perUserPerDay: 100 }, { ownerId: 'u-guest', guildId: 'g-buzz' }, NOW, 1, 1_000);
});

test('the queue bound is checked with the number of panels asked for', async () => {
	const project = await database.db.project.create({ data: { ownerId: 'u-queue', name: 'Queue', nameKey: 'queue' } });
	const panel = await database.db.panel.create({ data: { projectId: project.id, number: 1, ownerId: 'u-queue', prompt: 'p', enhance: false } });
	await database.db.drawing.create({
		data: {
			panelId: panel.id,
			ownerId: 'u-queue',
			applicationId: 'app',
			interactionId: 'i-queue',
			interactionToken: 't',
			interactionCreatedAt: new Date(NOW),
			channelId: 'c',
			status: 'generating',
		},
	});
	const limits: PanelLimits = { inFlightPerUser: 1, perUserPerDay: 100, queuedPerUser: 2 };
	await checkLimits(database.db, limits, { ownerId: 'u-queue', guildId: null }, NOW, 2);
	const refused = await refusal(checkLimits(database.db, limits, { ownerId: 'u-queue', guildId: null }, NOW, 3));
	expect(refused.message).toContain('these 3 panels would make 3 wait, and at most 2 may');
});

test("a revised estimate replaces only that drawing's reservation, and never a cost already known", async () => {
	const revised = await admit('u-revise', null, 10, NOW - HOUR);
	const other = await admit('u-revise', null, 10, NOW - HOUR);
	await reviseEstimate(database.db, revised, 40);
	expect(await buzzSince(database.db, { userId: 'u-revise' }, NOW - DAY_MS)).toBe(50);
	await correctUsage(database.db, other, 7);
	await reviseEstimate(database.db, other, 99);
	expect(await buzzSince(database.db, { userId: 'u-revise' }, NOW - DAY_MS)).toBe(47);
	expect((await oldestDrawings(database.db, { userId: 'u-revise' }, NOW, 5)).map((row) => row.buzz)).toEqual([40, 7]);
});

test("the Buzz counted beside a drawing whose estimate is being replaced leaves out that drawing's row only, rows without a drawing included", async () => {
	const replaced = await admit('u-except', 'g-except', 30, NOW - 2 * HOUR);
	await admit('u-except', 'g-except', 20, NOW - HOUR);
	// A drawing's row that names no drawing (the column is optional): it still counts.
	await database.db.usageEntry.create({
		data: { userId: 'u-except', guildId: 'g-except', kind: 'panel', paidBy: 'bot', buzzEstimated: 5, createdAt: new Date(NOW - HOUR) },
	});
	expect(await buzzSince(database.db, { userId: 'u-except' }, NOW - DAY_MS)).toBe(55);
	expect(await buzzSince(database.db, { userId: 'u-except' }, NOW - DAY_MS, replaced)).toBe(25);
	expect((await oldestDrawings(database.db, { guildId: 'g-except' }, NOW, 5, replaced)).map((row) => row.buzz).sort((a, b) => a - b)).toEqual([5, 20]);
});

test("a server's daily limit lowered below what was drawn there names when enough places free up, counting the oldest first", async () => {
	for (const hours of [20, 15, 10, 5]) await admit('member-low', 'g-lowered', 10, NOW - hours * HOUR);
	// Four drawn, the limit lowered to 2: three must leave the window before one more fits.
	const refused = await refusal(
		checkLimits(database.db, { inFlightPerUser: 20, perUserPerDay: 100, perGuildPerDay: 2 }, { ownerId: 'u-new', guildId: 'g-lowered' }, NOW),
	);
	expect(refused.when).toEqual({ lead: 'Panels can be drawn here again', at: new Date(NOW - 10 * HOUR + DAY_MS) });
});

test("a drawing with no cost passes a server's spent Buzz budget; one costing exactly the whole budget is told when enough frees up", async () => {
	await admit('someone-else', 'g-spent', 60, NOW - 4 * HOUR);
	const limits: PanelLimits = { inFlightPerUser: 20, perUserPerDay: 100, buzzPerGuildPerDay: 50 };
	await checkLimits(database.db, limits, { ownerId: 'u-free', guildId: 'g-spent' }, NOW, 1, 0);
	const whole = await refusal(checkLimits(database.db, limits, { ownerId: 'u-free', guildId: 'g-spent' }, NOW, 1, 50));
	expect(whole.when).toEqual({ lead: 'Enough frees up', at: new Date(NOW - 4 * HOUR + DAY_MS) });
});

test("a re-estimated drawing is checked against the budgets without its own reservation, the user's and the server's, and only with a cost", async () => {
	const own = await admit('u-whatif', 'g-whatif', 60, NOW - 2 * HOUR);
	await admit('u-whatif', 'g-whatif', 30, NOW - 3 * HOUR);
	// Another user in another server: counted by neither budget.
	await admit('u-whatif-other', 'g-whatif-other', 500, NOW - HOUR);
	const request = { ownerId: 'u-whatif', guildId: 'g-whatif' };
	const userBudget = { buzzPerUserPerDay: 100 };
	// 30 used besides its own 60: 70 fits, 71 does not.
	await checkBuzzBudgets(database.db, userBudget, request, NOW, 70, own);
	const refused = await refusal(checkBuzzBudgets(database.db, userBudget, request, NOW, 71, own));
	expect(refused.message).toBe(
		'This would cost about 71 Buzz, and your daily budget of 100 Buzz has 70 left (30 used in the last 24 hours). Nothing was drawn.',
	);
	expect(refused.when).toEqual({ lead: 'Enough frees up', at: new Date(NOW - 3 * HOUR + DAY_MS) });
	// The server's budget, in the server's words; outside the server it does not apply.
	const serverBudget = { buzzPerGuildPerDay: 40 };
	await checkBuzzBudgets(database.db, serverBudget, request, NOW, 10, own);
	const server = await refusal(checkBuzzBudgets(database.db, serverBudget, request, NOW, 11, own));
	expect(server.message).toBe(
		"This would cost about 11 Buzz, and this server's daily budget of 40 Buzz has 10 left (30 used in the last 24 hours). Nothing was drawn.",
	);
	await checkBuzzBudgets(database.db, serverBudget, { ownerId: 'u-whatif', guildId: null }, NOW, 1_000, own);
	// No budget, or a cost of nothing: nothing to check, however much was used.
	await checkBuzzBudgets(database.db, {}, request, NOW, 1_000, own);
	await checkBuzzBudgets(database.db, { buzzPerUserPerDay: 10, buzzPerGuildPerDay: 10 }, request, NOW, 0, own);
});
