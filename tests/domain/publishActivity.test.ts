// The activity note of published posts on a real database, through the real job runner and the real
// REST writer against the fake Discord: what the note says, one edit per interval with what happened
// meanwhile collapsed into it, never while a publish holds the post, and a refusal that is not retried.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REST } from '@discordjs/rest';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { activityNote, markPublishedActivity, publishedActivityJob } from '../../src/comic/publish/activity.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { createPostWriter } from '../../src/discord/postWriter.ts';
import { createJobRunner, type JobRunner } from '../../src/jobs/runner.ts';
import { createLog } from '../../src/log.ts';
import { freshDatabase } from '../databases.ts';
import { ChannelKind, type FakeDiscord, startFakeDiscord } from '../fakes/discord.ts';

const PUBLISHED = new Date('2026-12-04T12:00:00Z');
const INTERVAL = 60_000;
let database: Database;
let dropDatabase: () => Promise<void>;
let dataDir: string;
let discord: FakeDiscord;
let runner: JobRunner;
let clock = PUBLISHED.getTime();
let projectId: string;
let postId: string;
let threadId: string;
let nextPanel = 1;

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'comic-activity-'));
	const fresh = await freshDatabase();
	dropDatabase = fresh.drop;
	database = await openDatabase({ databaseUrl: fresh.url, dataDir });
	discord = await startFakeDiscord();
	const writer = createPostWriter(new REST({ api: discord.apiUrl, retries: 0 }).setToken(discord.botToken), { timeoutMs: 5_000 });
	const log = createLog('silent');
	runner = createJobRunner({
		log,
		owner: 'test-activity',
		leaseMs: 30_000,
		now: () => clock,
		kinds: [publishedActivityJob({ db: database.db, writer, log, intervalMs: INTERVAL })],
	});
	const forum = discord.addChannel({ type: ChannelKind.Forum, name: 'comics' });
	({ threadId } = await writer.startForumPost(forum.id, { name: 'Lighthouse', tags: [], message: { content: '**Lighthouse** · 1 page', files: [] } }));
	projectId = (await database.db.project.create({ data: { ownerId: 'owner', name: 'Lighthouse', nameKey: 'lighthouse' } })).id;
	for (let number = 1; number <= 3; number++) await drawn(number, 'owner', new Date(PUBLISHED.getTime() - 1000));
	postId = (
		await database.db.publishedPost.create({
			data: {
				projectId,
				guildId: 'g',
				channelId: forum.id,
				threadId,
				starterMessageId: threadId,
				kind: 'forum',
				part: 'all',
				fromPanel: 1,
				toPanel: 3,
				title: 'Lighthouse',
				publishedBy: 'owner',
				publishedAt: PUBLISHED,
				starterText: '**Lighthouse** · 1 page',
			},
		})
	).id;
});

beforeEach(() => {
	clock += 10 * INTERVAL;
});

afterAll(async () => {
	await runner?.stop();
	await database?.close();
	await dropDatabase?.();
	await discord?.close();
	rmSync(dataDir, { recursive: true, force: true });
});

/** A chosen take of panel `number` (made when missing) drawn by `userId` at `at`; earlier takes of it are no longer chosen. */
async function drawn(number: number, userId: string, at: Date): Promise<void> {
	const panel =
		(await database.db.panel.findFirst({ where: { projectId, number } })) ??
		(await database.db.panel.create({ data: { projectId, number, ownerId: userId, prompt: `scene ${number}`, enhance: false } }));
	nextPanel = Math.max(nextPanel, number + 1);
	const drawing = await database.db.drawing.create({
		data: {
			panelId: panel.id,
			ownerId: userId,
			status: 'ready',
			applicationId: 'app',
			interactionId: `i-${Math.random()}`,
			interactionToken: 't',
			interactionCreatedAt: at,
			channelId: 'c',
		},
	});
	await database.db.take.updateMany({ where: { panelId: panel.id }, data: { chosen: false } });
	await database.db.take.create({
		data: {
			drawingId: drawing.id,
			panelId: panel.id,
			index: 1,
			workflowId: 'w',
			imagePath: 'p.png',
			imageMime: 'image/png',
			imageSize: 1,
			chosen: true,
			createdAt: at,
		},
	});
}

const starter = () => discord.messagesInChannel(threadId)[0];
const post = () => database.db.publishedPost.findUniqueOrThrow({ where: { id: postId } });

test('the note names new panels as added and the others as redrawn, with who drew them; nothing new, no note', async () => {
	expect(await activityNote(database.db, await post())).toBeNull();
	await drawn(4, 'mira', new Date(clock));
	await drawn(2, 'rex', new Date(clock));
	expect(await activityNote(database.db, await post())).toBe('Panel 4 added by <@mira>; panel 2 redrawn by <@rex> — publish again to include them.');
	// A part counts only its own panels.
	expect(await activityNote(database.db, { ...(await post()), part: '1-3', fromPanel: 1, toPanel: 3 })).toBe(
		'Panel 2 redrawn by <@rex> — publish again to include it.',
	);
});

test('one edit per interval: activity meanwhile is collapsed into the next one, and a publish holding the post puts it off', async () => {
	await markPublishedActivity(database.db, projectId, clock);
	await runner.pollOnce();
	expect(starter()?.edits).toBe(1);
	expect(starter()?.content).toContain('-# Panel 4 added by <@mira>');
	expect(starter()?.allowed_mentions).toEqual({ parse: [] });

	// Two more panels within the interval: no edit yet, the row waits for the interval's end.
	await drawn(nextPanel, 'mira', new Date(clock));
	await markPublishedActivity(database.db, projectId, clock);
	await runner.pollOnce();
	await drawn(nextPanel, 'ana', new Date(clock));
	await markPublishedActivity(database.db, projectId, clock);
	await runner.pollOnce();
	expect(starter()?.edits).toBe(1);
	const waiting = await post();
	expect(waiting.dueAt?.getTime()).toBe((waiting.activityShownAt?.getTime() ?? 0) + INTERVAL);

	// A publish holds the post: put off until it lets go.
	clock += INTERVAL;
	await database.db.publishedPost.update({ where: { id: postId }, data: { publishingUntil: new Date(clock + 5_000) } });
	await runner.pollOnce();
	expect(starter()?.edits).toBe(1);
	expect((await post()).dueAt?.getTime()).toBe(clock + 5_000);
	await database.db.publishedPost.update({ where: { id: postId }, data: { publishingUntil: null } });
	clock += 5_000;
	await runner.pollOnce();
	expect(starter()?.edits).toBe(2);
	expect(starter()?.content).toMatch(/Panels 4, 5 and 6|Panels 4, 5, 6/);
	expect(starter()?.content).toContain('<@mira>, <@ana>');

	// One interval later the follow-up look finds nothing new: no edit, nothing due.
	clock += INTERVAL;
	await runner.pollOnce();
	expect(starter()?.edits).toBe(2);
	expect((await post()).dueAt).toBeNull();
});

test('a call Discord does not answer is given up at the writer’s timeout', async () => {
	const hasty = createPostWriter(new REST({ api: discord.apiUrl, retries: 0 }).setToken(discord.botToken), { timeoutMs: 200 });
	// A page message of its own: the stalled edit lands on it after the test has given up on it.
	const page = await hasty.postMessage(threadId, { content: 'pages 2–3', files: [] });
	discord.stallNext({ method: 'PATCH', path: new RegExp(`/messages/${page}$`) }, 2_000);
	await expect(hasty.editMessage(threadId, page, { content: 'late' })).rejects.toMatchObject({ name: 'AbortError' });
});

test('Discord refusing the edit (403) ends the job without retries; a server error is tried again', async () => {
	await drawn(nextPanel, 'rex', new Date(clock));
	await markPublishedActivity(database.db, projectId, clock);
	discord.failNext({ method: 'PATCH', path: new RegExp(`/messages/${threadId}$`) }, { status: 500 });
	await runner.pollOnce();
	expect(await post()).toMatchObject({ errorCount: 1 });
	expect((await post()).dueAt).not.toBeNull();

	clock += INTERVAL;
	discord.failNext({ method: 'PATCH', path: new RegExp(`/messages/${threadId}$`) }, { status: 403, code: 50013 });
	const edits = starter()?.edits;
	await runner.pollOnce();
	expect(starter()?.edits).toBe(edits);
	expect(await post()).toMatchObject({ dueAt: null, errorCount: 0 });
});
