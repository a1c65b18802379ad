// Which picture a drawing follows (docs/decisions/028-follow.md), on a real database without Discord:
// `follow:`'s panel, a story's previous panel, the wait for a previous panel still being drawn and its
// bound, and the cases that follow nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { followReference, STORY_FOLLOW_WAIT_MS } from '../../src/comic/generation/followReference.ts';
import type { DrawingSubject } from '../../src/comic/generation/drawingSubject.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { freshDatabase } from '../databases.ts';

let database: Database;
let dropDatabase: () => Promise<void>;
let dataDir: string;
let projectId: string;
let storyId: string;
const NOW = new Date('2026-12-04T12:00:00Z').getTime();
let number = 0;
const db = () => database.db;

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'comic-follow-'));
	const fresh = await freshDatabase();
	dropDatabase = fresh.drop;
	database = await openDatabase({ databaseUrl: fresh.url, dataDir });
	projectId = (await db().project.create({ data: { ownerId: 'u1', name: 'Follow', nameKey: 'follow' } })).id;
	storyId = (await db().storyPlan.create({ data: { ownerId: 'u1', projectId, story: 's', plan: { panels: [] }, channelId: 'c', status: 'drawing' } })).id;
});

afterAll(async () => {
	await database?.close();
	await dropDatabase?.();
	rmSync(dataDir, { recursive: true, force: true });
});

/** A panel with one drawing in `status`; with `take`, its chosen take (mature or not). */
async function panel(input: {
	status: 'waiting' | 'queued' | 'generating' | 'ready' | 'failed';
	take?: { mature: boolean };
	story?: boolean;
	follow?: string;
	allowMature?: boolean;
}) {
	const row = await db().panel.create({
		data: {
			projectId,
			number: ++number,
			ownerId: 'u1',
			prompt: `panel ${number}`,
			enhance: false,
			allowMature: input.allowMature ?? false,
			storyId: input.story ? storyId : null,
			followPanelId: input.follow ?? null,
		},
	});
	const drawing = await db().drawing.create({
		data: {
			panelId: row.id,
			ownerId: 'u1',
			status: input.status,
			applicationId: 'app',
			interactionId: `i-${row.id}`,
			interactionToken: 't',
			interactionCreatedAt: new Date(NOW),
			channelId: 'c',
			createdAt: new Date(NOW),
		},
	});
	const take = input.take
		? await db().take.create({
				data: {
					drawingId: drawing.id,
					panelId: row.id,
					index: 1,
					workflowId: 'wf',
					imagePath: 'x.png',
					imageMime: 'image/png',
					imageSize: 1,
					chosen: true,
					mature: input.take.mature,
				},
			})
		: undefined;
	const subject: DrawingSubject = {
		...drawing,
		panel: { ...row, projectId },
		project: { name: 'Follow', description: null, engine: 'nano-banana-2' },
		character: null,
		characters: [],
	};
	return { id: row.id, number: row.number, subject, takeId: take?.id };
}

test("follow: the named panel's chosen take, as it is when prepared; nothing when that panel has none, was deleted, or is mature here", async () => {
	const followed = await panel({ status: 'ready', take: { mature: false } });
	const following = await panel({ status: 'queued', follow: followed.id });
	const found = await followReference(database, following.subject, NOW);
	expect(found.kind === 'take' ? [found.take.id, found.panelNumber] : found).toEqual([followed.takeId, followed.number]);

	const withoutPicture = await panel({ status: 'failed' });
	expect(await followReference(database, (await panel({ status: 'queued', follow: withoutPicture.id })).subject, NOW)).toEqual({ kind: 'none' });

	const mature = await panel({ status: 'ready', take: { mature: true }, allowMature: true });
	expect(await followReference(database, (await panel({ status: 'queued', follow: mature.id })).subject, NOW)).toEqual({ kind: 'none' });
	expect((await followReference(database, (await panel({ status: 'queued', follow: mature.id, allowMature: true })).subject, NOW)).kind).toBe('take');

	const gone = await panel({ status: 'ready', take: { mature: false } });
	const orphan = await panel({ status: 'queued', follow: gone.id });
	await db().panel.delete({ where: { id: gone.id } });
	expect(await followReference(database, orphan.subject, NOW)).toEqual({ kind: 'none' });
	// A panel that follows nothing, outside a story, follows nothing.
	expect(await followReference(database, (await panel({ status: 'queued' })).subject, NOW)).toEqual({ kind: 'none' });
});

test("a story panel follows its story's previous panel: waits while that one is drawn, up to its bound; follows nothing after a failure", async () => {
	// Panel numbers in between that are not the story's do not count.
	const first = await panel({ status: 'generating', story: true });
	await panel({ status: 'ready', take: { mature: false } });
	const second = await panel({ status: 'queued', story: true });
	expect(await followReference(database, second.subject, NOW)).toEqual({ kind: 'wait' });
	expect(await followReference(database, second.subject, NOW + STORY_FOLLOW_WAIT_MS - 1)).toEqual({ kind: 'wait' });
	// Past the bound, it is drawn without the previous picture.
	expect(await followReference(database, second.subject, NOW + STORY_FOLLOW_WAIT_MS)).toEqual({ kind: 'none' });

	// Once the previous panel has its picture, it is followed.
	const drawing = await db().drawing.findFirstOrThrow({ where: { panelId: first.id } });
	await db().drawing.update({ where: { id: drawing.id }, data: { status: 'ready' } });
	const take = await db().take.create({
		data: { drawingId: drawing.id, panelId: first.id, index: 1, workflowId: 'wf', imagePath: 'y.png', imageMime: 'image/png', imageSize: 1, chosen: true },
	});
	const found = await followReference(database, second.subject, NOW);
	expect(found.kind === 'take' ? [found.take.id, found.panelNumber] : found).toEqual([take.id, first.number]);

	// A previous story panel that failed: not followed, no wait.
	await panel({ status: 'failed', story: true });
	const after = await panel({ status: 'queued', story: true });
	expect(await followReference(database, after.subject, NOW)).toEqual({ kind: 'none' });
});
