// What a drawing's steps read of its panel (src/db/drawingPanels.ts), on a real database: several panels
// in one statement, each with its project, its older single character and its characters in order.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Database, drawingPanels, openDatabase } from '../../src/db/database.ts';
import { freshDatabase } from '../databases.ts';

let database: Database;
let dropDatabase: () => Promise<void>;
let dataDir: string;
let statements = 0;

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'comic-drawing-panels-'));
	const fresh = await freshDatabase();
	dropDatabase = fresh.drop;
	database = await openDatabase({ databaseUrl: fresh.url, dataDir, onQuery: () => void statements++ });
});

afterAll(async () => {
	await database?.close();
	await dropDatabase?.();
	rmSync(dataDir, { recursive: true, force: true });
});

function character(projectId: string, name: string, fields: { nsfw?: boolean; lora?: boolean } = {}) {
	return database.db.character.create({
		data: {
			projectId,
			name,
			nameKey: name.toLowerCase(),
			modelId: 1,
			modelVersionId: 1,
			modelName: name,
			versionName: 'v1',
			modelType: 'LORA',
			baseModel: 'SDXL 1.0',
			air: `urn:air:sdxl:lora:civitai:1@${name}`,
			trainedWords: [`${name.toLowerCase()}word`],
			strength: 0.8,
			...fields,
		},
	});
}

test('panels come with their project, their one older character and their characters in order, in one statement', async () => {
	const project = await database.db.project.create({ data: { ownerId: 'u1', name: 'Read', nameKey: 'read', description: 'a town', engine: 'auto' } });
	const [ann, bob] = [await character(project.id, 'Ann', { nsfw: true }), await character(project.id, 'Bob', { lora: false })];
	const both = await database.db.panel.create({
		data: { projectId: project.id, number: 1, ownerId: 'u1', prompt: 'two', enhance: true, allowMature: true, takeCount: 2, caption: 'c', dialogue: 'd' },
	});
	await database.db.panelCharacter.createMany({
		data: [
			{ panelId: both.id, characterId: bob.id, position: 1 },
			{ panelId: both.id, characterId: ann.id, position: 0 },
		],
	});
	const older = await database.db.panel.create({
		data: { projectId: project.id, number: 2, ownerId: 'u1', prompt: 'one', enhance: false, characterId: ann.id },
	});
	// It follows panel 2's picture (`/comic panel follow:`): the read carries that too.
	const alone = await database.db.panel.create({
		data: { projectId: project.id, number: 3, ownerId: 'u1', prompt: 'none', enhance: false, followPanelId: older.id },
	});

	const before = statements;
	const found = await drawingPanels(database.db, [both.id, older.id, alone.id, 'gone']);
	expect(statements - before).toBe(1);
	expect(found.has('gone')).toBe(false);
	const two = found.get(both.id);
	expect(two?.panel).toEqual({
		id: both.id,
		number: 1,
		prompt: 'two',
		enhance: true,
		allowMature: true,
		takeCount: 2,
		projectId: project.id,
		storyId: null,
		caption: 'c',
		dialogue: 'd',
		followPanelId: null,
	});
	expect(found.get(alone.id)?.panel.followPanelId).toBe(older.id);
	expect(two?.project).toEqual({ name: 'Read', description: 'a town', engine: 'auto' });
	expect(two?.character).toBeNull();
	expect(two?.members.map((member) => [member.name, member.nsfw, member.lora, member.trainedWords, member.strength])).toEqual([
		['Ann', true, true, ['annword'], 0.8],
		['Bob', false, false, ['bobword'], 0.8],
	]);
	expect(found.get(older.id)?.character).toMatchObject({ id: ann.id, name: 'Ann', nsfw: true, air: ann.air, baseModel: 'SDXL 1.0' });
	expect(found.get(older.id)?.members).toEqual([]);
	expect([found.get(alone.id)?.character, found.get(alone.id)?.members]).toEqual([null, []]);
});
