// The takes module (src/comic/takes/) on a real database without Discord: storing a drawing's takes
// twice changes nothing, exactly one take of a panel is its picture whichever way it is chosen (Use N,
// History's Use), History never chooses a mature take where mature pictures may not be shown, and a
// take's size is measured from its file once and then read from its row.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { takeImageName, takeSize } from '../../src/comic/takes/pictures.ts';
import { chooseTake, chooseTakeOfPanel, chosenTake, type KeptTake, saveTakes, takesOf } from '../../src/comic/takes/takes.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { ImageStore } from '../../src/images/imageStore.ts';
import { freshDatabase } from '../databases.ts';
import { solid } from '../unit/images/pictures.ts';

let database: Database;
let dropDatabase: () => Promise<void>;
let dataDir: string;
let projectId: string;
let panelNumber = 0;

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'comic-takes-'));
	const fresh = await freshDatabase();
	dropDatabase = fresh.drop;
	database = await openDatabase({ databaseUrl: fresh.url, dataDir });
	projectId = (await database.db.project.create({ data: { ownerId: 'u1', name: 'Takes', nameKey: 'takes' } })).id;
});

afterAll(async () => {
	await database?.close();
	await dropDatabase?.();
	rmSync(dataDir, { recursive: true, force: true });
});

async function newPanel(): Promise<string> {
	panelNumber++;
	return (await database.db.panel.create({ data: { projectId, number: panelNumber, ownerId: 'u1', prompt: 'p', enhance: false } })).id;
}

async function newDrawing(panelId: string): Promise<string> {
	const row = await database.db.drawing.create({
		data: {
			panelId,
			ownerId: 'u1',
			applicationId: 'app',
			interactionId: `i-${Math.random()}`,
			interactionToken: 't',
			interactionCreatedAt: new Date(),
			channelId: 'c',
		},
	});
	return row.id;
}

function kept(drawingId: string, count: number, mature: (index: number) => boolean = () => false): KeptTake[] {
	return Array.from({ length: count }, (_, position) => ({
		index: position + 1,
		imagePath: `${takeImageName(drawingId, position + 1)}.png`,
		imageMime: 'image/png',
		imageSize: 10,
		seed: null,
		mature: mature(position + 1),
		width: 64,
		height: 96,
	}));
}

async function chosenIndexes(panelId: string): Promise<{ drawingId: string; index: number }[]> {
	return database.db.take.findMany({ where: { panelId, chosen: true }, select: { drawingId: true, index: true } });
}

test("a drawing's takes stored twice (a step taken again after a crash) are stored once, its first take the panel's picture", async () => {
	const panelId = await newPanel();
	const drawingId = await newDrawing(panelId);
	await saveTakes(database.db, { drawingId, panelId, workflowId: 'wf-1' }, kept(drawingId, 3));
	await saveTakes(database.db, { drawingId, panelId, workflowId: 'wf-1' }, kept(drawingId, 3));
	expect((await takesOf(database.db, drawingId)).map((take) => [take.index, take.imagePath, take.chosen])).toEqual([
		[1, `${drawingId}.png`, true],
		[2, `${drawingId}-2.png`, false],
		[3, `${drawingId}-3.png`, false],
	]);
	expect((await chosenTake(database.db, panelId))?.index).toBe(1);
});

test('a redraw makes its first take the picture; Use N and History each leave exactly one chosen take', async () => {
	const panelId = await newPanel();
	const first = await newDrawing(panelId);
	await saveTakes(database.db, { drawingId: first, panelId, workflowId: 'wf-a' }, kept(first, 2));
	const redraw = await newDrawing(panelId);
	await saveTakes(database.db, { drawingId: redraw, panelId, workflowId: 'wf-b' }, kept(redraw, 2));
	expect(await chosenIndexes(panelId)).toEqual([{ drawingId: redraw, index: 1 }]);

	// Use 2 under the redraw's message.
	expect(await chooseTake(database.db, { id: redraw, panelId }, 2)).toEqual({ chosen: true });
	expect(await chosenIndexes(panelId)).toEqual([{ drawingId: redraw, index: 2 }]);
	expect(await chooseTake(database.db, { id: redraw, panelId }, 2)).toEqual({ chosen: false, reason: 'already' });
	expect(await chooseTake(database.db, { id: redraw, panelId }, 5)).toEqual({ chosen: false, reason: 'missing' });
	expect(await chosenIndexes(panelId)).toEqual([{ drawingId: redraw, index: 2 }]);

	// History: the first drawing's second take becomes the picture again; the answer names its drawing.
	const older = await database.db.take.findUniqueOrThrow({ where: { drawingId_index: { drawingId: first, index: 2 } } });
	expect(await chooseTakeOfPanel(database.db, panelId, older.id, false)).toEqual({ chosen: true, drawingId: first });
	expect(await chosenIndexes(panelId)).toEqual([{ drawingId: first, index: 2 }]);
	expect(await chooseTakeOfPanel(database.db, panelId, older.id, false)).toEqual({ chosen: false, reason: 'already' });
});

test('History chooses no mature take outside age-restricted channels, and no take of another panel; neither changes the picture', async () => {
	const panelId = await newPanel();
	const drawingId = await newDrawing(panelId);
	await saveTakes(
		database.db,
		{ drawingId, panelId, workflowId: 'wf-m' },
		kept(drawingId, 2, (index) => index === 2),
	);
	const mature = await database.db.take.findUniqueOrThrow({ where: { drawingId_index: { drawingId, index: 2 } } });
	expect(await chooseTakeOfPanel(database.db, panelId, mature.id, false)).toEqual({ chosen: false, reason: 'missing' });
	expect(await chosenIndexes(panelId)).toEqual([{ drawingId, index: 1 }]);

	const otherPanel = await newPanel();
	expect(await chooseTakeOfPanel(database.db, otherPanel, mature.id, true)).toEqual({ chosen: false, reason: 'missing' });
	expect(await chosenIndexes(panelId)).toEqual([{ drawingId, index: 1 }]);

	// In an age-restricted channel it may be chosen.
	expect(await chooseTakeOfPanel(database.db, panelId, mature.id, true)).toEqual({ chosen: true, drawingId });
	expect(await chosenIndexes(panelId)).toEqual([{ drawingId, index: 2 }]);
});

test('a take kept before sizes were stored is measured from its file once, after it is put on disk, and its size kept on its row', async () => {
	const images = new ImageStore(dataDir);
	const panelId = await newPanel();
	const drawingId = await newDrawing(panelId);
	await saveTakes(
		database.db,
		{ drawingId, panelId, workflowId: 'wf-s' },
		kept(drawingId, 1).map((take) => ({ ...take, width: null, height: null })),
	);
	const take = await chosenTake(database.db, panelId);
	if (!take) throw new Error('no chosen take');
	let ensured = 0;
	// `ensure` stands for fetching the file again: here it writes the file the way ensureImage does.
	const ensure = async () => {
		ensured++;
		await images.save(takeImageName(drawingId, 1), await solid(40, 70), 'image/png');
	};
	expect(await takeSize({ db: database.db, images }, take, ensure)).toEqual({ width: 40, height: 70 });
	expect(ensured).toBe(1);
	const stored = await chosenTake(database.db, panelId);
	expect([stored?.width, stored?.height]).toEqual([40, 70]);
	// From now on the row answers: the file is neither fetched nor read.
	await images.remove([take.imagePath]);
	expect(await takeSize({ db: database.db, images }, stored ?? take, ensure)).toEqual({ width: 40, height: 70 });
	expect(ensured).toBe(1);
});
