// A database made by the schema before drawings and takes (panels holding their one generation,
// message and job) is migrated by the bot's start: every panel keeps its content, its generation,
// message and job become its first drawing with the same id, and a kept picture its chosen take.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, expect, test } from 'vitest';
import { openDatabase, sqlitePath } from '../../src/db/database.ts';
import { migratePostgres, migrateSqlite } from '../../src/db/migrate.ts';
import { freshDatabase } from '../databases.ts';

/** The last migration of the schema before the split. */
const BEFORE_SPLIT = '20261125120001_delivery_started_at';
const BEFORE_SPLIT_POSTGRES = '20261125120000_delivery_started_at';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const at = (iso: string) => new Date(iso);
const project = { id: 'p0000000-0000-4000-8000-000000000001', ownerId: '100', name: 'Old', nameKey: 'old' };
const character = { id: 'c0000000-0000-4000-8000-000000000001', projectId: project.id, name: 'Rex', nameKey: 'rex', air: 'urn:air:sdxl:lora:civitai:1@2' };
const message = { applicationId: '500', interactionToken: 'old-token', channelId: '300', guildId: '200' };
const panels = [
	{
		id: 'a0000000-0000-4000-8000-000000000001',
		number: 1,
		prompt: 'ready one',
		status: 'ready',
		workflowId: 'wf-1',
		imagePath: 'a0000000-0000-4000-8000-000000000001.png',
		imageMime: 'image/png',
		imageSize: 1234,
		delivery: 'delivered',
		seed: 42,
		leaseOwner: null,
	},
	{
		id: 'a0000000-0000-4000-8000-000000000002',
		number: 2,
		prompt: 'being drawn',
		status: 'generating',
		workflowId: 'wf-2',
		imagePath: null,
		imageMime: null,
		imageSize: null,
		delivery: 'pending',
		seed: 7,
		leaseOwner: 'host:1:abc/claim',
	},
	{
		id: 'a0000000-0000-4000-8000-000000000003',
		number: 3,
		prompt: 'failed one',
		status: 'failed',
		workflowId: null,
		imagePath: null,
		imageMime: null,
		imageSize: null,
		delivery: 'undelivered',
		seed: null,
		leaseOwner: null,
	},
] as const;

type Run = (sql: string, values: unknown[]) => Promise<unknown>;

/** Rows as the old schema held them, written with plain SQL (no generated client knows that schema). */
async function seedOldSchema(
	run: Run,
	placeholder: (index: number) => string,
	bool: (value: boolean) => unknown,
	time: (date: Date) => unknown,
): Promise<void> {
	const insert = (table: string, row: Record<string, unknown>) => {
		const columns = Object.keys(row);
		return run(
			`INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) VALUES (${columns.map((_, i) => placeholder(i + 1)).join(', ')})`,
			Object.values(row),
		);
	};
	await insert('Project', { ...project, createdAt: time(at('2026-11-20T10:00:00Z')) });
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
		createdAt: time(at('2026-11-20T10:00:00Z')),
	});
	for (const panel of panels) {
		const { seed, ...columns } = panel;
		await insert('Panel', {
			...columns,
			projectId: project.id,
			characterId: character.id,
			ownerId: project.ownerId,
			enhance: bool(false),
			allowMature: bool(false),
			params: seed === null ? null : JSON.stringify({ prompt: panel.prompt, seed }),
			finalPrompt: panel.prompt,
			...message,
			interactionId: `9${panel.number}`,
			interactionCreatedAt: time(at('2026-11-21T10:00:00Z')),
			createdAt: time(at(`2026-11-21T10:0${panel.number}:00Z`)),
			tokenDead: bool(panel.number === 1),
			nextCheckAt: panel.delivery === 'pending' ? time(at('2026-11-21T10:30:00Z')) : null,
			leaseUntil: panel.leaseOwner ? time(at('2026-11-21T10:31:00Z')) : null,
			checks: panel.number,
			errorCount: 0,
		});
	}
}

async function expectCarriedAcross(databaseUrl: string | undefined, dataDir: string): Promise<void> {
	const database = await openDatabase({ databaseUrl, dataDir });
	cleanups.push(() => database.close());
	expect(database.migrated.some((name) => name.endsWith('_split_panel'))).toBe(true);
	const { db } = database;
	const content = await db.panel.findMany({ orderBy: { number: 'asc' } });
	expect(content.map(({ id, number, prompt, characterId, takeCount }) => ({ id, number, prompt, characterId, takeCount }))).toEqual(
		panels.map(({ id, number, prompt }) => ({ id, number, prompt, characterId: character.id, takeCount: 1 })),
	);
	const drawings = await db.drawing.findMany({ orderBy: { createdAt: 'asc' } });
	expect(drawings.map((drawing) => [drawing.id, drawing.panelId, drawing.status, drawing.workflowId, drawing.delivery, drawing.interactionToken])).toEqual(
		panels.map((panel) => [panel.id, panel.id, panel.status, panel.workflowId, panel.delivery, 'old-token']),
	);
	const running = drawings[1];
	expect([running?.dueAt, running?.leaseOwner, running?.leaseUntil, running?.checks]).toEqual([
		at('2026-11-21T10:30:00Z'),
		'host:1:abc/claim',
		at('2026-11-21T10:31:00Z'),
		2,
	]);
	expect(drawings[0]?.tokenDead).toBe(true);
	const takes = await db.take.findMany();
	expect(
		takes.map(({ drawingId, panelId, index, workflowId, seed, imagePath, imageMime, imageSize, chosen }) => ({
			drawingId,
			panelId,
			index,
			workflowId,
			seed,
			imagePath,
			imageMime,
			imageSize,
			chosen,
		})),
	).toEqual([
		{
			drawingId: panels[0].id,
			panelId: panels[0].id,
			index: 1,
			workflowId: 'wf-1',
			seed: 42,
			imagePath: panels[0].imagePath,
			imageMime: 'image/png',
			imageSize: 1234,
			chosen: true,
		},
	]);
}

test('on the embedded database, panels made by the previous schema become panels, drawings and takes', async () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'comic-migration-'));
	cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
	const raw = new BetterSqlite3(sqlitePath(dataDir));
	migrateSqlite(raw, BEFORE_SPLIT);
	await seedOldSchema(
		async (sql, values) => raw.prepare(sql).run(...values),
		() => '?',
		(value) => (value ? 1 : 0),
		(date) => date.getTime(),
	);
	raw.close();
	await expectCarriedAcross(undefined, dataDir);
});

test.skipIf(!process.env.TEST_DATABASE_URL)('on PostgreSQL, panels made by the previous schema become panels, drawings and takes', async () => {
	const database = await freshDatabase();
	cleanups.push(() => database.drop());
	const client = new pg.Client({ connectionString: database.url });
	await client.connect();
	try {
		await migratePostgres(client, BEFORE_SPLIT_POSTGRES);
		await seedOldSchema(
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
	await expectCarriedAcross(database.url, dataDir);
});
