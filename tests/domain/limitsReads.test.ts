// The limits of a drawing are checked on one read (src/db/admissionReads.ts): the parts a limit needs (the
// server's count, the Buzz used by the user and by the server) are read by that same statement when the limit
// applies, never by a second one after it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { checkLimits, type PanelLimits } from '../../src/comic/drawings/checkLimits.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { freshDatabase } from '../databases.ts';

let database: Database;
let fresh: Awaited<ReturnType<typeof freshDatabase>>;
let dataDir: string;
let statements = 0;
beforeAll(async () => {
	fresh = await freshDatabase();
	dataDir = mkdtempSync(join(tmpdir(), 'limits-reads-'));
	database = await openDatabase({ databaseUrl: fresh.url, dataDir, onQuery: () => statements++ });
});
afterAll(async () => {
	await database?.close();
	await fresh?.drop();
	rmSync(dataDir, { recursive: true, force: true });
});

const BASE: PanelLimits = { inFlightPerUser: 2, perUserPerDay: 10 };

test.each([
	{ name: 'the server’s daily limit', limits: { ...BASE, perGuildPerDay: 5 }, buzz: 0 },
	{ name: 'the user’s Buzz budget', limits: { ...BASE, buzzPerUserPerDay: 100 }, buzz: 10 },
	{ name: 'the server’s Buzz budget', limits: { ...BASE, buzzPerGuildPerDay: 100 }, buzz: 10 },
	{ name: 'every limit at once', limits: { ...BASE, perGuildPerDay: 5, buzzPerUserPerDay: 100, buzzPerGuildPerDay: 100 }, buzz: 10 },
	{ name: 'no limit but the user’s', limits: BASE, buzz: 10 },
])('$name: checked on one statement', async ({ limits, buzz }) => {
	statements = 0;
	await checkLimits(database.db, limits, { ownerId: 'limits-reader', guildId: 'limits-guild' }, Date.now(), 1, buzz);
	expect(statements).toBe(1);
});
