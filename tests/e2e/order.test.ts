import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { movePanel, removePanel } from '../../src/comic/panels/order.ts';
import { createPanel, type PanelPlan } from '../../src/comic/drawings/newPanel.ts';
import { openDatabase, type Database, type Db } from '../../src/db/database.ts';
import { freshDatabase } from '../databases.ts';

// On PostgreSQL (TEST_DATABASE_URL) two database clients, as two bot processes would have; the embedded
// SQLite database belongs to one process, so there both "processes" share its one client.
let dataDir: string;
let database: Awaited<ReturnType<typeof freshDatabase>>;
const handles: Database[] = [];
beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'comic-order-'));
	database = await freshDatabase();
	const first = await openDatabase({ databaseUrl: database.url, dataDir });
	handles.push(first, database.url ? await openDatabase({ databaseUrl: database.url, dataDir }) : first);
});
afterAll(async () => {
	for (const handle of new Set(handles)) await handle.close();
	await database?.drop();
	rmSync(dataDir, { recursive: true, force: true });
});

const limits = { inFlightPerUser: 1000, perUserPerDay: 1000 };
let userCount = 0;

async function project(db: Db): Promise<PanelPlan> {
	const ownerId = `70000000000000${String(++userCount).padStart(4, '0')}`;
	const project = await db.project.create({ data: { ownerId, name: `Order ${userCount}`, nameKey: `order ${userCount}` } });
	const character = await db.character.create({
		data: {
			projectId: project.id,
			name: 'Rex',
			nameKey: 'rex',
			modelId: 1,
			modelVersionId: 2,
			modelName: 'Rex',
			versionName: 'v1',
			modelType: 'LORA',
			baseModel: 'SDXL 1.0',
			air: 'urn:air:sdxl:lora:civitai:1@2',
			trainedWords: [],
		},
	});
	const request = { ownerId, project: project.id, prompt: 'p', guildId: null, allowMature: false };
	return { project, character, characters: [character], prompt: 'p', request, enhanceDefault: true };
}

function newPanel(db: Db, plan: PanelPlan, prompt: string) {
	const message = {
		applicationId: '1',
		interactionId: `i-${Math.random()}`,
		interactionToken: 't',
		interactionCreatedAt: new Date(),
		channelId: '3',
		messageId: null,
	};
	return createPanel(db, limits, { ...plan, prompt }, message, { enhance: false, takes: 1 }, { owner: 'test', until: new Date(0) });
}

async function numbers(db: Db, projectId: string): Promise<{ number: number; prompt: string }[]> {
	return db.panel.findMany({ where: { projectId }, orderBy: { number: 'asc' }, select: { number: true, prompt: true } });
}

test('moving a panel shifts the ones between, both ways, and a position past the end means last', async () => {
	const [first] = handles;
	if (!first) throw new Error('no database');
	const plan = await project(first.db);
	for (const prompt of ['a', 'b', 'c', 'd', 'e']) await newPanel(first.db, plan, prompt);
	await movePanel(first.db, plan.project.id, 1, 4);
	expect((await numbers(first.db, plan.project.id)).map((panel) => panel.prompt).join('')).toBe('bcdae');
	await movePanel(first.db, plan.project.id, 5, 1);
	expect((await numbers(first.db, plan.project.id)).map((panel) => panel.prompt).join('')).toBe('ebcda');
	const moved = await movePanel(first.db, plan.project.id, 2, 99);
	expect(moved.to).toBe(5);
	expect((await numbers(first.db, plan.project.id)).map((panel) => panel.prompt).join('')).toBe('ecdab');
	await expect(movePanel(first.db, plan.project.id, 9, 1)).rejects.toThrow('panels 1 to 5');
});

test('moves, deletes and new panels racing in two processes leave numbers 1…n, unique and without gaps', async () => {
	const [first, second] = handles;
	if (!first || !second) throw new Error('no database');
	const plan = await project(first.db);
	const created = [];
	for (let i = 0; i < 12; i++) created.push((await newPanel(first.db, plan, `start ${i}`)).panel);
	const work: Promise<unknown>[] = [];
	for (let round = 0; round < 8; round++) {
		const db = round % 2 === 0 ? first.db : second.db;
		const other = round % 2 === 0 ? second.db : first.db;
		work.push(newPanel(db, plan, `new ${round}`));
		work.push(movePanel(other, plan.project.id, 1 + (round % 5), 10 - round).catch((error: unknown) => error));
		const victim = created[round];
		if (victim) work.push(removePanel(round % 3 === 0 ? db : other, plan.project.id, victim.id));
	}
	const results = await Promise.all(work);
	// A move may name a panel number that a racing delete just took away: a plain refusal, nothing else.
	for (const result of results) if (result instanceof Error) expect(result.message).toMatch(/no panel/);
	const after = await numbers(second.db, plan.project.id);
	expect(after.length).toBe(12 + 8 - 8);
	expect(after.map((panel) => panel.number)).toEqual(after.map((_, index) => index + 1));
	expect(after.filter((panel) => panel.prompt.startsWith('new')).length).toBe(8);
});
