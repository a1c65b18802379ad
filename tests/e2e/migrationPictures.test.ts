// Takes kept before pictures carried their rating are migrated as mature when they may be: drawn where
// mature content was allowed, or with a mature model (the panel's character or any in PanelCharacter).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, expect, test } from 'vitest';
import { openDatabase, sqlitePath } from '../../src/db/database.ts';
import { migratePostgres, migrateSqlite } from '../../src/db/migrate.ts';
import { freshDatabase } from '../databases.ts';

/** The last migration before takes kept their rating and size. */
const BEFORE_SQLITE = '20261201090001_queue_and_stories';
const BEFORE_POSTGRES = '20261201090000_queue_and_stories';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Run = (sql: string, values: unknown[]) => Promise<unknown>;
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PROJECT = id(1);
const PLAIN = id(2);
const MATURE = id(3);
/** Panel → [allowMature, its character, PanelCharacter rows]. */
const PANELS = [
	{ id: id(10), allowMature: false, characterId: PLAIN, cast: [PLAIN] },
	{ id: id(11), allowMature: true, characterId: PLAIN, cast: [PLAIN] },
	{ id: id(12), allowMature: false, characterId: MATURE, cast: [] },
	{ id: id(13), allowMature: false, characterId: null, cast: [PLAIN, MATURE] },
] as const;

async function seed(run: Run, placeholder: (index: number) => string, bool: (value: boolean) => unknown, time: (date: Date) => unknown): Promise<void> {
	const insert = (table: string, row: Record<string, unknown>) => {
		const columns = Object.keys(row);
		return run(
			`INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) VALUES (${columns.map((_, i) => placeholder(i + 1)).join(', ')})`,
			Object.values(row),
		);
	};
	await insert('Project', { id: PROJECT, ownerId: '100', name: 'Old', nameKey: 'old' });
	for (const [characterId, nsfw] of [
		[PLAIN, false],
		[MATURE, true],
	] as const)
		await insert('Character', {
			id: characterId,
			projectId: PROJECT,
			name: characterId,
			nameKey: characterId,
			modelId: 1,
			modelVersionId: 2,
			modelName: 'M',
			versionName: 'v1',
			modelType: 'LORA',
			baseModel: 'SDXL 1.0',
			air: 'urn:air:sdxl:lora:civitai:1@2',
			trainedWords: '[]',
			nsfw: bool(nsfw),
		});
	for (const [n, panel] of PANELS.entries()) {
		await insert('Panel', {
			id: panel.id,
			projectId: PROJECT,
			number: n + 1,
			ownerId: '100',
			prompt: 'old',
			enhance: bool(false),
			allowMature: bool(panel.allowMature),
			characterId: panel.characterId,
		});
		for (const [position, characterId] of panel.cast.entries()) await insert('PanelCharacter', { panelId: panel.id, position, characterId });
		await insert('Drawing', {
			id: panel.id,
			panelId: panel.id,
			ownerId: '100',
			applicationId: '500',
			interactionId: `9${n}`,
			interactionToken: 'old-token',
			interactionCreatedAt: time(new Date('2026-11-21T10:00:00Z')),
			channelId: '300',
		});
		await insert('Take', {
			id: id(20 + n),
			drawingId: panel.id,
			panelId: panel.id,
			index: 1,
			workflowId: `wf-${n}`,
			imagePath: `${panel.id}.png`,
			imageMime: 'image/png',
			imageSize: 10,
			chosen: bool(true),
		});
	}
}

async function expectMarked(databaseUrl: string | undefined, dataDir: string): Promise<void> {
	const database = await openDatabase({ databaseUrl, dataDir });
	cleanups.push(() => database.close());
	expect(database.migrated.some((name) => name.endsWith('_pictures_safety_and_storage'))).toBe(true);
	const takes = await database.db.take.findMany({ orderBy: { panelId: 'asc' }, select: { panelId: true, mature: true, width: true, height: true } });
	expect(takes).toEqual([
		{ panelId: PANELS[0].id, mature: false, width: null, height: null },
		{ panelId: PANELS[1].id, mature: true, width: null, height: null },
		{ panelId: PANELS[2].id, mature: true, width: null, height: null },
		{ panelId: PANELS[3].id, mature: true, width: null, height: null },
	]);
}

test('on the embedded database, existing takes are marked mature where they may be', async () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'comic-migration-'));
	cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
	const raw = new BetterSqlite3(sqlitePath(dataDir));
	migrateSqlite(raw, BEFORE_SQLITE);
	await seed(
		async (sql, values) => raw.prepare(sql).run(...values),
		() => '?',
		(value) => (value ? 1 : 0),
		(date) => date.getTime(),
	);
	raw.close();
	await expectMarked(undefined, dataDir);
});

test.skipIf(!process.env.TEST_DATABASE_URL)('on PostgreSQL, existing takes are marked mature where they may be', async () => {
	const database = await freshDatabase();
	cleanups.push(() => database.drop());
	const client = new pg.Client({ connectionString: database.url });
	await client.connect();
	try {
		await migratePostgres(client, BEFORE_POSTGRES);
		await seed(
			(sql, values) => client.query(sql, values),
			(index) => `$${index}`,
			(value) => value,
			(date) => date,
		);
	} finally {
		await client.end();
	}
	const dataDir = mkdtempSync(join(tmpdir(), 'comic-migration-'));
	cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
	await expectMarked(database.url, dataDir);
});
