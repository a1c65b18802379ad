// A database from before the limits ledger is migrated by the bot's start: every drawing still stored
// gets its ledger row (kind, payer, Buzz), and so does every recorded spend whose drawing is already gone,
// so the daily limits and /comic usage go on counting what was drawn before.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, expect, test } from 'vitest';
import { usageOf } from '../../src/accounts/usage.ts';
import { checkLimits } from '../../src/comic/drawings/checkLimits.ts';
import { openDatabase, sqlitePath } from '../../src/db/database.ts';
import { migratePostgres, migrateSqlite } from '../../src/db/migrate.ts';
import { freshDatabase } from '../databases.ts';

/** The last migration before the ledger. */
const BEFORE_LEDGER = { sqlite: '20261201090001_queue_and_stories', postgres: '20261201090000_queue_and_stories' } as const;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const owner = '100000000000000001';
const guildId = '200000000000000001';
const project = { id: 'p0000000-0000-4000-8000-000000000001', ownerId: owner, name: 'Old', nameKey: 'old' };
const panel = { id: 'a0000000-0000-4000-8000-000000000001', projectId: project.id, number: 1, ownerId: owner, prompt: 'p', guildId, takeCount: 2 };
const message = { applicationId: '500', interactionToken: 't', channelId: '300', guildId };
const recent = Date.now() - 60 * 60_000;
const drawings = [
	{ id: 'd0000000-0000-4000-8000-000000000001', status: 'ready', cost: 20, paidBy: 'bot', workflowId: 'wf-1', at: recent },
	{ id: 'd0000000-0000-4000-8000-000000000002', status: 'generating', cost: null, paidBy: 'user', workflowId: 'wf-2', at: recent + 1_000 },
] as const;
/** The spend of a panel deleted before the migration: its drawing is gone, its spend stayed. */
const spendOfDeleted = { id: 's0000000-0000-4000-8000-000000000009', panelId: 'gone', workflowId: 'wf-gone', userId: owner, guildId, buzz: 12, paidBy: 'bot' };

type Run = (sql: string, values: unknown[]) => Promise<unknown>;

async function seed(run: Run, placeholder: (index: number) => string, bool: (value: boolean) => unknown, time: (ms: number) => unknown): Promise<void> {
	const insert = (table: string, row: Record<string, unknown>) => {
		const columns = Object.keys(row);
		return run(
			`INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) VALUES (${columns.map((_, i) => placeholder(i + 1)).join(', ')})`,
			Object.values(row),
		);
	};
	await insert('Project', { ...project, createdAt: time(recent) });
	await insert('Panel', { ...panel, enhance: bool(false), createdAt: time(recent) });
	for (const drawing of drawings)
		await insert('Drawing', {
			id: drawing.id,
			panelId: panel.id,
			ownerId: owner,
			status: drawing.status,
			cost: drawing.cost,
			paidBy: drawing.paidBy,
			workflowId: drawing.workflowId,
			interactionId: drawing.id,
			interactionCreatedAt: time(drawing.at),
			createdAt: time(drawing.at),
			...message,
		});
	await insert('Spend', {
		id: 's0000000-0000-4000-8000-000000000001',
		panelId: panel.id,
		workflowId: 'wf-1',
		userId: owner,
		guildId,
		buzz: 20,
		paidBy: 'bot',
		createdAt: time(recent),
	});
	await insert('Spend', { ...spendOfDeleted, createdAt: time(recent - 1_000) });
}

async function expectCarried(databaseUrl: string | undefined, dataDir: string): Promise<void> {
	const database = await openDatabase({ databaseUrl, dataDir });
	cleanups.push(() => database.close());
	expect(database.migrated.map((name) => name.replace(/^\d+_/, ''))).toContain('usage_ledger');
	const { db } = database;
	const rows = await db.usageEntry.findMany({ orderBy: { createdAt: 'asc' } });
	expect(
		rows.map(({ id, kind, drawingId, paidBy, buzzEstimated, buzzActual, userId, guildId: guild }) => ({
			id,
			kind,
			drawingId,
			paidBy,
			buzzEstimated,
			buzzActual,
			userId,
			guild,
		})),
	).toEqual([
		{ id: spendOfDeleted.id, kind: 'panel', drawingId: null, paidBy: 'bot', buzzEstimated: 12, buzzActual: 12, userId: owner, guild: guildId },
		{ id: drawings[0].id, kind: 'panel', drawingId: drawings[0].id, paidBy: 'bot', buzzEstimated: 20, buzzActual: 20, userId: owner, guild: guildId },
		// Still being drawn: estimated from its takes (10 Buzz a picture), not yet corrected; a later drawing of the same panel is a redraw.
		{ id: drawings[1].id, kind: 'redraw', drawingId: drawings[1].id, paidBy: 'user', buzzEstimated: 20, buzzActual: null, userId: owner, guild: guildId },
	]);
	expect(rows.map((row) => row.createdAt.getTime())).toEqual([recent - 1_000, recent, recent + 1_000]);
	// The limits count all three, the deleted panel's too; so does /comic usage.
	const limits = { inFlightPerUser: 5, perUserPerDay: 3 };
	await expect(checkLimits(db, limits, { ownerId: owner, guildId }, Date.now())).rejects.toThrow('3 panels in the last 24 hours');
	expect(await usageOf(db, { userId: owner })).toEqual({ day: { panels: 3, buzz: 52 }, month: { panels: 3, buzz: 52 } });
}

test('on the embedded database, drawings and the spend of deleted panels are carried into the ledger', async () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'comic-migration-'));
	cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
	const raw = new BetterSqlite3(sqlitePath(dataDir));
	migrateSqlite(raw, BEFORE_LEDGER.sqlite);
	await seed(
		async (sql, values) => raw.prepare(sql).run(...values),
		() => '?',
		(value) => (value ? 1 : 0),
		// As the bot's SQLite adapter writes times: ISO 8601 text.
		(ms) => new Date(ms).toISOString(),
	);
	raw.close();
	await expectCarried(undefined, dataDir);
});

test.skipIf(!process.env.TEST_DATABASE_URL)('on PostgreSQL, drawings and the spend of deleted panels are carried into the ledger', async () => {
	const database = await freshDatabase();
	cleanups.push(() => database.drop());
	const client = new pg.Client({ connectionString: database.url });
	await client.connect();
	try {
		await migratePostgres(client, BEFORE_LEDGER.postgres);
		await seed(
			(sql, values) => client.query(sql, values),
			(index) => `$${index}`,
			(value) => value,
			(ms) => new Date(ms),
		);
	} finally {
		await client.end();
	}
	const dataDir = mkdtempSync(join(tmpdir(), 'comic-migration-'));
	cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
	await expectCarried(database.url, dataDir);
});
