// A database at main's schema before the queue and stories (panels with lettered words) is migrated by
// the bot's start: the panels keep their caption and dialogue, characters get strength 1, and the
// migrations apply in name order after main's newest.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, expect, test } from 'vitest';
import { openDatabase, sqlitePath } from '../../src/db/database.ts';
import { migratePostgres, migrateSqlite, readMigrations } from '../../src/db/migrate.ts';
import { freshDatabase } from '../databases.ts';

/** The last migration of main's schema before this branch's. */
const BEFORE_STORIES = { sqlite: '20261201074212_lettering_and_order', postgres: '20261201074211_lettering_and_order' } as const;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const project = { id: 'p0000000-0000-4000-8000-000000000001', ownerId: '100', name: 'Old', nameKey: 'old' };
const character = { id: 'c0000000-0000-4000-8000-000000000001', projectId: project.id, name: 'Rex', nameKey: 'rex', air: 'urn:air:sdxl:lora:civitai:1@2' };
const panel = { id: 'a0000000-0000-4000-8000-000000000001', projectId: project.id, characterId: character.id, number: 1, ownerId: '100', prompt: 'p' };
const words = { caption: 'Meanwhile…', dialogue: 'Rex: Run! | Mira: Not without the map.' };

type Run = (sql: string, values: unknown[]) => Promise<unknown>;

async function seed(run: Run, placeholder: (index: number) => string, bool: (value: boolean) => unknown): Promise<void> {
	const insert = (table: string, row: Record<string, unknown>) => {
		const columns = Object.keys(row);
		return run(
			`INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) VALUES (${columns.map((_, i) => placeholder(i + 1)).join(', ')})`,
			Object.values(row),
		);
	};
	await insert('Project', project);
	await insert('Character', {
		...character,
		modelId: 1,
		modelVersionId: 2,
		modelName: 'Rex',
		versionName: 'v1',
		modelType: 'LORA',
		baseModel: 'SDXL 1.0',
		trainedWords: '["rex"]',
		nsfw: bool(false),
	});
	await insert('Panel', { ...panel, ...words, enhance: bool(false) });
}

async function expectCarriedAcross(databaseUrl: string | undefined, dataDir: string): Promise<void> {
	const database = await openDatabase({ databaseUrl, dataDir });
	cleanups.push(() => database.close());
	// Later migrations (the limits ledger, …) follow it.
	expect(database.migrated.map((name) => name.replace(/^\d+_/, ''))[0]).toBe('queue_and_stories');
	const { db } = database;
	expect(await db.panel.findMany({ select: { id: true, caption: true, dialogue: true, storyId: true } })).toEqual([{ id: panel.id, ...words, storyId: null }]);
	expect(await db.character.findMany({ select: { id: true, strength: true } })).toEqual([{ id: character.id, strength: 1 }]);
	expect(await db.panelCharacter.count()).toBe(0);
	// Deleting the character still leaves the panel (no table redefinition cascaded anything).
	await db.character.delete({ where: { id: character.id } });
	expect(await db.panel.count()).toBe(1);
}

test("the migrations sort after main's newest, on both databases", () => {
	for (const provider of ['sqlite', 'postgres'] as const) {
		const names = readMigrations(provider).map((migration) => migration.name);
		expect([...names].sort()).toEqual(names);
		expect(names[names.indexOf(BEFORE_STORIES[provider]) + 1]).toMatch(/_queue_and_stories$/);
	}
});

test('on the embedded database, panels with words at main’s schema keep them', async () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'comic-migration-'));
	cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
	const raw = new BetterSqlite3(sqlitePath(dataDir));
	migrateSqlite(raw, BEFORE_STORIES.sqlite);
	await seed(
		async (sql, values) => raw.prepare(sql).run(...values),
		() => '?',
		(value) => (value ? 1 : 0),
	);
	raw.close();
	await expectCarriedAcross(undefined, dataDir);
});

test.skipIf(!process.env.TEST_DATABASE_URL)('on PostgreSQL, panels with words at main’s schema keep them', async () => {
	const database = await freshDatabase();
	cleanups.push(() => database.drop());
	const client = new pg.Client({ connectionString: database.url });
	await client.connect();
	try {
		await migratePostgres(client, BEFORE_STORIES.postgres);
		await seed(
			(sql, values) => client.query(sql, values),
			(index) => `$${index}`,
			(value) => value,
		);
	} finally {
		await client.end();
	}
	const dataDir = mkdtempSync(join(tmpdir(), 'comic-migration-'));
	cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
	await expectCarriedAcross(database.url, dataDir);
});
