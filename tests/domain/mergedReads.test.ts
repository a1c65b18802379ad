// The statements written by hand that replace several (docs/decisions/030-merged-reads.md), on a real
// database of either kind: admission's one read of access and limits, a delivery's one read, and a new
// panel numbered by its own insert. Each is one statement and reads what the separate reads did.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { admissionFacts, type Database, deliveryReads, insertLastPanel, openDatabase } from '../../src/db/database.ts';
import { isUniqueViolation } from '../../src/comic/projects.ts';
import { freshDatabase } from '../databases.ts';

let database: Database;
let dropDatabase: () => Promise<void>;
let dataDir: string;
let statements = 0;

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'comic-merged-reads-'));
	const fresh = await freshDatabase();
	dropDatabase = fresh.drop;
	database = await openDatabase({ databaseUrl: fresh.url, dataDir, onQuery: () => void statements++ });
});

afterAll(async () => {
	await database?.close();
	await dropDatabase?.();
	rmSync(dataDir, { recursive: true, force: true });
});

const NOW = Date.parse('2026-12-04T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const since = new Date(NOW - DAY);

async function counted<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
	const before = statements;
	const result = await work();
	return { result, statements: statements - before };
}

let projects = 0;

async function panelWithDrawings(ownerId: string, statuses: readonly ('waiting' | 'queued' | 'generating' | 'ready')[], cost: number | null = null) {
	projects++;
	const project = await database.db.project.create({ data: { ownerId, name: `P${projects}`, nameKey: `p${projects}` } });
	const panel = await database.db.panel.create({ data: { projectId: project.id, number: 1, ownerId, prompt: 'p', enhance: false } });
	const drawings = [];
	for (const status of statuses)
		drawings.push(
			await database.db.drawing.create({
				data: {
					panelId: panel.id,
					ownerId,
					status,
					cost,
					applicationId: 'app',
					interactionId: `i-${Math.random()}`,
					interactionToken: 't',
					interactionCreatedAt: new Date(NOW),
					channelId: 'c',
				},
			}),
		);
	return { project, panel, drawings };
}

test('admission reads the key, the queue, the ledger of the last 24 hours and the settings in one statement; the parts a setting asks for only then', async () => {
	await panelWithDrawings('u-adm', ['waiting', 'queued', 'generating', 'generating', 'ready']);
	await database.db.userKey.create({ data: { userId: 'u-adm', ciphertext: 'x', nonce: 'n', tag: 't', keyVersion: 'v' } });
	const row = (userId: string, guildId: string | null, at: number, fields: { kind?: string; buzzEstimated?: number; buzzActual?: number | null } = {}) => ({
		userId,
		guildId,
		kind: 'panel',
		buzzEstimated: 10,
		createdAt: new Date(at),
		...fields,
	});
	await database.db.usageEntry.createMany({
		data: [
			row('u-adm', 'g-adm', NOW - 1_000, { buzzEstimated: 7.5 }),
			row('u-adm', 'g-adm', NOW - DAY, { buzzActual: 3 }),
			// A day and a millisecond old, and a story plan: neither counts.
			row('u-adm', 'g-adm', NOW - DAY - 1),
			row('u-adm', 'g-adm', NOW - 5, { kind: 'story-plan' }),
			row('u-other', 'g-adm', NOW - 2_000, { buzzActual: 0.5 }),
		],
	});
	const asker = { ownerId: 'u-adm', guildId: 'g-adm' };

	// No settings row: the parts a setting would ask for are not read.
	const bySettings = { guildDrawn: 'serverDailyLimit', userBuzz: 'userDailyBuzz', guildBuzz: 'serverDailyBuzz' } as const;
	const bare = await counted(() => admissionFacts(database.db, asker, since, bySettings));
	expect(bare.statements).toBe(1);
	expect(bare.result).toEqual({
		settings: null,
		ownKey: true,
		inFlight: 3,
		waiting: 1,
		userDrawn: 2,
		guildDrawn: null,
		userBuzz: null,
		guildBuzz: null,
	});

	await database.db.guildSettings.create({
		data: { guildId: 'g-adm', sharedKey: false, serverDailyLimit: 40, userDailyLimit: 5, enhanceDefault: false, userDailyBuzz: 100, updatedBy: 'admin' },
	});
	const set = await counted(() => admissionFacts(database.db, asker, since, bySettings));
	expect(set.statements).toBe(1);
	expect(set.result).toMatchObject({
		settings: { sharedKey: false, serverDailyLimit: 40, userDailyLimit: 5, enhanceDefault: false, userDailyBuzz: 100, serverDailyBuzz: null },
		guildDrawn: 3,
		userBuzz: { actual: 3, estimated: 7.5 },
		// serverDailyBuzz is unset: the server's Buzz is not read.
		guildBuzz: null,
	});

	// Asked for outright (the bot's own limits apply whatever the server set).
	const all = await admissionFacts(database.db, asker, since, { guildDrawn: true, userBuzz: true, guildBuzz: true });
	expect(all).toMatchObject({ guildDrawn: 3, userBuzz: { actual: 3, estimated: 7.5 }, guildBuzz: { actual: 3.5, estimated: 7.5 } });
	// Outside a server: no settings, nothing of a server.
	const direct = await admissionFacts(database.db, { ownerId: 'nobody', guildId: null }, since, { guildDrawn: true, userBuzz: true, guildBuzz: true });
	expect(direct).toEqual({
		settings: null,
		ownKey: false,
		inFlight: 0,
		waiting: 0,
		userDrawn: 0,
		guildDrawn: null,
		userBuzz: { actual: 0, estimated: 0 },
		guildBuzz: null,
	});
});

test('a delivery reads the owner’s waiting drawings, whether the project was published, the panel’s cost and the takes in order, in one statement', async () => {
	const { project, panel, drawings } = await panelWithDrawings('u-del', ['ready', 'ready'], 2.5);
	const [drawing] = drawings;
	if (!drawing) throw new Error('no drawing');
	const take = (index: number, chosen: boolean) => ({
		drawingId: drawing.id,
		panelId: panel.id,
		index,
		workflowId: 'wf',
		seed: 40 + index,
		imagePath: `${drawing.id}-${index}.png`,
		imageMime: 'image/png',
		imageSize: 10,
		chosen,
		mature: index === 2,
	});
	await database.db.take.createMany({ data: [take(2, false), take(1, true)] });
	const of = { id: drawing.id, ownerId: 'u-del', panelId: panel.id, projectId: project.id };

	const first = await counted(() => deliveryReads(database.db, of));
	expect(first.statements).toBe(1);
	expect(first.result).toEqual({
		ownerWaiting: false,
		published: false,
		panelCost: 5,
		takes: [
			{ id: expect.any(String), index: 1, imagePath: `${drawing.id}-1.png`, imageMime: 'image/png', letteredPath: null, seed: 41, chosen: true, mature: false },
			{ id: expect.any(String), index: 2, imagePath: `${drawing.id}-2.png`, imageMime: 'image/png', letteredPath: null, seed: 42, chosen: false, mature: true },
		],
	});

	await panelWithDrawings('u-del', ['waiting']);
	await database.db.publishedPost.create({
		data: { projectId: project.id, guildId: 'g', channelId: 'forum', kind: 'forum', part: 'all', title: 'T', publishedBy: 'u-del' },
	});
	expect(await deliveryReads(database.db, of)).toMatchObject({ ownerWaiting: true, published: true });
	// A failed drawing of a panel without costs: no takes, no cost.
	const { panel: bare, drawings: failed } = await panelWithDrawings('u-none', ['queued']);
	expect(await deliveryReads(database.db, { id: failed[0]?.id ?? '', ownerId: 'u-none', panelId: bare.id, projectId: bare.projectId })).toEqual({
		ownerWaiting: false,
		published: false,
		panelCost: null,
		takes: [],
	});
});

test('a new panel is numbered after the project’s last by its own insert; a duplicate number is a unique violation', async () => {
	const project = await database.db.project.create({ data: { ownerId: 'u-num', name: 'Numbers', nameKey: 'numbers' } });
	const content = {
		projectId: project.id,
		characterId: null,
		ownerId: 'u-num',
		prompt: 'first',
		enhance: true,
		allowMature: false,
		guildId: 'g-num',
		takeCount: 2,
		caption: 'c',
		dialogue: null,
		followPanelId: null,
	};
	const first = await counted(() => insertLastPanel(database.db, content, new Date(NOW)));
	expect(first.statements).toBe(1);
	expect(first.result).toMatchObject({ number: 1, prompt: 'first', storyId: null, createdAt: new Date(NOW) });
	await database.db.panel.create({ data: { projectId: project.id, number: 7, ownerId: 'u-num', prompt: 'moved', enhance: false } });
	const next = await insertLastPanel(database.db, { ...content, prompt: 'next' }, new Date(NOW + 1));
	expect(next.number).toBe(8);
	// What the insert returns is what was stored.
	const { id: _id, ...stored } = (await database.db.panel.findUniqueOrThrow({ where: { id: next.id } })) ?? {};
	const { id: _same, ...returned } = next;
	expect(stored).toEqual(returned);

	const duplicate = await database.db.$executeRaw`INSERT INTO "Panel" ("id", "projectId", "number", "ownerId", "prompt", "enhance", "createdAt")
		VALUES (${'dup'}, ${project.id}, ${8}, ${'u-num'}, ${'again'}, ${false}, ${new Date(NOW)})`.catch((error: unknown) => error);
	expect(isUniqueViolation(duplicate)).toBe(true);
	expect(isUniqueViolation(new Error('not a database error'))).toBe(false);
});
