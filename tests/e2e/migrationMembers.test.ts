// A database from before members (docs/decisions/026-members.md) is migrated by the bot's start: every
// project stays its owner's, personal (no server), with no members, and the owner's rights are unchanged;
// server settings keep their values, with no comic role.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, expect, test } from 'vitest';
import { accessTo, findProject } from '../../src/comic/access.ts';
import { listProjects } from '../../src/comic/projects.ts';
import { openDatabase, sqlitePath } from '../../src/db/database.ts';
import { migratePostgres, migrateSqlite } from '../../src/db/migrate.ts';
import { freshDatabase } from '../databases.ts';

/** The last migration before members. */
const BEFORE_MEMBERS = { sqlite: '20261204190100_drawing_status', postgres: '20261204190100_drawing_status' } as const;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const owner = '100000000000000001';
const other = '100000000000000002';
const guildId = '200000000000000001';
const project = { id: 'p0000000-0000-4000-8000-000000000001', ownerId: owner, name: 'Old', nameKey: 'old' };
const settings = { guildId, sharedKey: false, userDailyLimit: 7, updatedBy: owner };

type Run = (sql: string, values: unknown[]) => Promise<unknown>;

async function seed(run: Run, placeholder: (index: number) => string, bool: (value: boolean) => unknown, now: unknown): Promise<void> {
	const insert = (table: string, row: Record<string, unknown>) => {
		const columns = Object.keys(row);
		return run(
			`INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) VALUES (${columns.map((_, i) => placeholder(i + 1)).join(', ')})`,
			Object.values(row),
		);
	};
	await insert('Project', project);
	await insert('GuildSettings', { ...settings, sharedKey: bool(false), updatedAt: now });
}

async function expectCarried(databaseUrl: string | undefined, dataDir: string): Promise<void> {
	const database = await openDatabase({ databaseUrl, dataDir });
	cleanups.push(() => database.close());
	expect(database.migrated.map((name) => name.replace(/^\d+_/, ''))).toContain('members');
	const { db } = database;
	const stored = await db.project.findUniqueOrThrow({ where: { id: project.id } });
	expect(stored).toMatchObject({ ...project, guildId: null });
	expect(await db.projectMember.count()).toBe(0);
	expect(await db.guildSettings.findUniqueOrThrow({ where: { guildId } })).toMatchObject({ sharedKey: false, userDailyLimit: 7, comicRoleId: null });
	// The owner keeps every right, in any server and in DMs; nobody else gains any.
	for (const where of [guildId, null]) {
		expect(await accessTo(db, stored, { userId: owner, guildId: where })).toEqual({ role: 'owner', admin: false });
		expect((await findProject(db, { userId: owner, guildId: where }, 'old', 'own')).id).toBe(project.id);
		expect(await accessTo(db, stored, { userId: other, guildId: where, admin: true })).toEqual({ role: null, admin: false });
	}
	expect((await listProjects(db, { userId: owner, guildId })).map((row) => [row.id, row.role])).toEqual([[project.id, 'owner']]);
	expect(await listProjects(db, { userId: other, guildId })).toEqual([]);
}

test('on the embedded database, projects stay their owners’ and personal, with no members', async () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'comic-migration-'));
	cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
	const raw = new BetterSqlite3(sqlitePath(dataDir));
	migrateSqlite(raw, BEFORE_MEMBERS.sqlite);
	await seed(
		async (sql, values) => raw.prepare(sql).run(...values),
		() => '?',
		(value) => (value ? 1 : 0),
		new Date().toISOString(),
	);
	raw.close();
	await expectCarried(undefined, dataDir);
});

test.skipIf(!process.env.TEST_DATABASE_URL)('on PostgreSQL, projects stay their owners’ and personal, with no members', async () => {
	const database = await freshDatabase();
	cleanups.push(() => database.drop());
	const client = new pg.Client({ connectionString: database.url });
	await client.connect();
	try {
		await migratePostgres(client, BEFORE_MEMBERS.postgres);
		await seed(
			(sql, values) => client.query(sql, values),
			(index) => `$${index}`,
			(value) => value,
			new Date(),
		);
	} finally {
		await client.end();
	}
	const dataDir = mkdtempSync(join(tmpdir(), 'comic-migration-'));
	cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
	await expectCarried(database.url, dataDir);
});
