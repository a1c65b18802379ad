// /comic publish end to end: forum posts and text-channel threads on the fake Discord, updated in place,
// parts as their own posts, refusals for missing permissions, mature pictures left out, activity edits.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ChannelKind, type FakeMessage, Permission } from '../fakes/discord.ts';
import { gradient } from '../unit/images/pictures.ts';
import { startWorld, type World } from '../world.ts';
import { readyPanel } from './support/comic.ts';
import { expectNoPings, projectWithCharacter, type Setup } from './support/panels.ts';

let world: World;
let setup: Setup;
beforeAll(async () => {
	// One activity edit per post per second, so the test sees it soon.
	world = await startWorld({ PUBLISH_ACTIVITY_SECONDS: '1' });
	const picture = await gradient(832, 1216);
	world.orchestrator.behaviour = () => ({ durationMs: 30, outcome: 'succeeded', image: picture });
	setup = await projectWithCharacter(world);
	for (let i = 1; i <= 5; i++) await readyPanel(world, setup, `scene ${i}`);
});
afterAll(async () => {
	await world?.close();
});

const db = () => world.bot.database.db;

async function publish(options: { channel: string; panels?: string; userId?: string; project?: string }) {
	const { channel, userId, project, ...rest } = options;
	const sent = await world.command({
		userId: userId ?? setup.userId,
		subcommand: 'publish',
		options: { project: project ?? setup.project, ...rest },
		channels: { channel },
	});
	const reply = await world.waitForOriginal(sent.id, (message) => message.content !== '', 60_000);
	return { ...sent, reply };
}

/** The messages of a thread, oldest first (the forum starter has the thread's id). */
const threadMessages = (threadId: string): FakeMessage[] => world.discord.messagesInChannel(threadId);

test('a forum post: the cover page starts it, the other pages follow; publishing again edits in place, nothing duplicated', async () => {
	const forum = world.discord.addChannel({ type: ChannelKind.Forum, name: 'comics', tags: ['Comics', 'Memes'] });
	const first = await publish({ channel: forum.id });
	expect(first.reply.ephemeral).toBe(true);
	expect(first.reply.content).toContain('as a new post');
	const [post] = world.discord.threadsIn(forum.id);
	if (!post) throw new Error('no post was made');
	expect(post.name).toBe(setup.project);
	expect(post.appliedTags).toEqual([forum.availableTags[0]?.id]);
	const messages = threadMessages(post.id);
	expect(messages[0]?.id).toBe(post.id);
	expect(messages[0]?.content).toContain(setup.project);
	expect(messages[0]?.attachments).toHaveLength(1);
	const pages = messages.flatMap((message) => message.attachments);
	expect(pages.length).toBeGreaterThan(1);
	expect(pages.map((page) => page.filename)).toEqual([...pages.map((page) => page.filename)].sort());
	const stored = await db().publishedMessage.findMany({ where: { post: { threadId: post.id } }, orderBy: { position: 'asc' } });
	expect(stored.map((row) => row.messageId)).toEqual(messages.map((message) => message.id));

	// The project is renamed and the last panel gets words; the bot restarts (what was published is in the database).
	const renamed = `${setup.project} (revised)`;
	await world.command({ userId: setup.userId, group: 'project', subcommand: 'edit', options: { project: setup.project, name: renamed } });
	await world.command({ userId: setup.userId, group: 'panels', subcommand: 'text', options: { project: renamed, panel: 5, caption: 'The end?' } });
	await world.restartBot();
	const edits = messages.map((message) => message.edits);
	const again = await publish({ channel: forum.id, project: renamed });
	expect(again.reply.content).toContain('in place');
	expect(world.discord.threadsIn(forum.id)).toHaveLength(1);
	const after = threadMessages(post.id);
	expect(after.map((message) => message.id)).toEqual(messages.map((message) => message.id));
	expect(post.name).toBe(renamed);
	// The cover shows the new title, the last page the new words: both edited, each once.
	expect(after[0]?.edits).toBe((edits[0] ?? 0) + 1);
	expect(after.at(-1)?.edits).toBe((edits.at(-1) ?? 0) + 1);
	expect(after.flatMap((message) => message.attachments)).toHaveLength(pages.length);

	// Nothing changed since: nothing is written again.
	const writes = world.discord.requests.length;
	const same = await publish({ channel: forum.id, project: renamed });
	expect(same.reply.content).toMatch(/0 messages edited, 0 added, 0 removed/);
	const later = world.discord.requests.slice(writes).filter((request) => request.method !== 'GET' && request.path.includes(post.id));
	expect(later.map((request) => `${request.method} ${request.path}`)).toEqual([`PATCH /channels/${post.id}`]);
	expectNoPings(world.discord);
	// A forum post's starter travels inside the thread's creation.
	const created = world.discord.requests.find((request) => request.method === 'POST' && request.path === `/channels/${forum.id}/threads`);
	expect(created?.json).toMatchObject({ name: setup.project, message: { allowed_mentions: { parse: [] } } });
	// Page messages carry a nonce Discord enforces: a publish run again after a crash does not post them twice.
	const pagePosts = world.discord.requests.filter((request) => request.method === 'POST' && request.path === `/channels/${post.id}/messages`);
	expect(pagePosts.length).toBeGreaterThan(0);
	for (const request of pagePosts) expect(request.json).toMatchObject({ enforce_nonce: true, nonce: expect.stringMatching(/^[\w-]{25}$/) });
	setup = { ...setup, project: renamed };
});

test('a part is its own post, titled with its panels; the whole comic’s post is left as it was', async () => {
	const forum = world.discord.addChannel({ type: ChannelKind.Media, name: 'gallery' });
	await publish({ channel: forum.id });
	const whole = world.discord.threadsIn(forum.id)[0]?.id ?? '';
	const part = await publish({ channel: forum.id, panels: '1-2' });
	expect(threadMessages(whole).map((message) => message.edits)).toEqual(threadMessages(whole).map(() => 0));
	expect(part.reply.content).toContain('as a new post');
	const posts = world.discord.threadsIn(forum.id);
	expect(posts.map((post) => post.name)).toEqual([setup.project, `${setup.project} · panels 1–2`]);
	expect(threadMessages(posts[1]?.id ?? '').flatMap((message) => message.attachments).length).toBeGreaterThan(0);
	const rows = await db().publishedPost.findMany({
		where: { channelId: forum.id },
		orderBy: { part: 'desc' },
		select: { part: true, fromPanel: true, toPanel: true },
	});
	expect(rows).toEqual([
		{ part: 'all', fromPanel: 1, toPanel: 5 },
		{ part: '1-2', fromPanel: 1, toPanel: 2 },
	]);
	expect(threadMessages(posts[1]?.id ?? '')[0]?.content).toContain('panels 1–2');
	expect(await db().publishedPost.count({ where: { channelId: forum.id } })).toBe(2);
});

test('a text channel gets the cover as a starter message and the pages in its thread', async () => {
	const channel = world.discord.addChannel({ type: ChannelKind.Text, name: 'general' });
	const { reply } = await publish({ channel: channel.id });
	const [starter] = world.discord.messagesInChannel(channel.id).filter((message) => !message.ephemeral);
	if (!starter) throw new Error('no starter message');
	expect(starter.attachments).toHaveLength(1);
	const [thread] = world.discord.threadsIn(channel.id);
	expect(thread?.id).toBe(starter.id);
	expect(thread?.name).toBe(setup.project);
	expect(reply.content).toContain(`<#${starter.id}>`);
	expect(threadMessages(starter.id).flatMap((message) => message.attachments).length).toBeGreaterThan(0);

	// A moderator deletes the starter message; a changed cover must then come as a new post.
	world.discord.deleteMessage(starter.id);
	// As if the cover had changed since (its stored hash no longer matches).
	await db().publishedMessage.updateMany({ where: { post: { channelId: channel.id }, position: 0 }, data: { hash: 'changed' } });
	const again = await publish({ channel: channel.id });
	expect(again.reply.content).toContain('as a new post');
	const starters = world.discord.messagesInChannel(channel.id).filter((message) => !message.ephemeral);
	expect(starters).toHaveLength(1);
	expect(world.discord.threadsIn(channel.id).map((thread) => thread.id)).toContain(starters[0]?.id);
});

test('a forum that requires a tag gets its first one when none is named like the project', async () => {
	const forum = world.discord.addChannel({ type: ChannelKind.Forum, name: 'strict', tags: ['Art', 'Story'], requireTag: true });
	await publish({ channel: forum.id });
	expect(world.discord.threadsIn(forum.id).map((post) => post.appliedTags)).toEqual([[forum.availableTags[0]?.id]]);
});

test('one publish per user at a time: a second one while the first runs is refused plainly', async () => {
	const forum = world.discord.addChannel({ type: ChannelKind.Forum, name: 'busy' });
	// The first publish waits on Discord a moment; the second arrives meanwhile.
	world.discord.stallNext({ method: 'GET', path: new RegExp(`^/channels/${forum.id}$`) }, 1_500);
	const first = world.discord.sendCommand({
		userId: setup.userId,
		subcommand: 'publish',
		options: { project: setup.project },
		channels: { channel: forum.id },
	});
	await world.discord.waitFor(() => world.discord.requests.some((request) => request.path === `/channels/${forum.id}`) || undefined);
	const second = await publish({ channel: forum.id });
	expect(second.reply.content).toContain('already publishing');
	await world.waitForOriginal(first.id, (message) => message.content.includes('new post'), 30_000);
	expect(world.discord.threadsIn(forum.id)).toHaveLength(1);
});

test('a post someone deleted is published anew, once', async () => {
	const forum = world.discord.addChannel({ type: ChannelKind.Forum, name: 'moderated' });
	await publish({ channel: forum.id });
	const [gone] = world.discord.threadsIn(forum.id);
	world.discord.deleteChannel(gone?.id ?? '');
	const { reply } = await publish({ channel: forum.id });
	expect(reply.content).toContain('as a new post');
	const [fresh] = world.discord.threadsIn(forum.id);
	expect(fresh?.id).not.toBe(gone?.id);
	expect(await db().publishedPost.findMany({ where: { channelId: forum.id }, select: { threadId: true } })).toEqual([{ threadId: fresh?.id }]);
	expect(await db().publishedMessage.findMany({ where: { post: { channelId: forum.id } }, select: { messageId: true } })).toEqual(
		threadMessages(fresh?.id ?? '').map((message) => ({ messageId: message.id })),
	);
});

test('missing permissions are refused by name, before any work when the payload shows them, and when Discord answers 50013', async () => {
	const noFiles = world.discord.addChannel({ type: ChannelKind.Forum, name: 'no-files', botDenied: Permission.AttachFiles | Permission.SendMessagesInThreads });
	const refused = await publish({ channel: noFiles.id });
	expect(refused.reply.ephemeral).toBe(true);
	expect(refused.reply.content).toContain('**Send Messages in Threads**, **Attach Files**');
	expect(world.discord.requests.some((request) => request.path.startsWith(`/channels/${noFiles.id}`))).toBe(false);

	const text = world.discord.addChannel({ type: ChannelKind.Text, name: 'no-threads', botDenied: Permission.CreatePublicThreads });
	expect((await publish({ channel: text.id })).reply.content).toContain('**Create Public Threads**');

	// The payload says yes, Discord says no (an overwrite changed meanwhile).
	const forum = world.discord.addChannel({ type: ChannelKind.Forum, name: 'locked' });
	world.discord.failNext({ method: 'POST', path: new RegExp(`^/channels/${forum.id}/threads$`) }, { status: 403, code: 50013, message: 'Missing Permissions' });
	const denied = await publish({ channel: forum.id });
	expect(denied.reply.ephemeral).toBe(true);
	expect(denied.reply.content).toContain('**Create Posts**');
	expect(world.discord.threadsIn(forum.id)).toHaveLength(0);
	// Published later, once allowed: the same row makes the post.
	await publish({ channel: forum.id });
	expect(world.discord.threadsIn(forum.id)).toHaveLength(1);
	expect(await db().publishedPost.count({ where: { channelId: forum.id } })).toBe(1);
});

test('mature pictures are left out of a forum that is not age-restricted, the post says how many, and a page no longer there is deleted', async () => {
	const project = await db().project.findFirstOrThrow({ where: { ownerId: setup.userId } });
	const safe = world.discord.addChannel({ type: ChannelKind.Forum, name: 'all-ages' });
	await publish({ channel: safe.id });
	const [post] = world.discord.threadsIn(safe.id);
	if (!post) throw new Error('no post was made');
	const before = threadMessages(post.id);
	expect(before).toHaveLength(2);
	await db().take.updateMany({ where: { panel: { projectId: project.id, number: 2 } }, data: { mature: true } });
	try {
		// Four panels left: one page, so the second message goes.
		const { reply } = await publish({ channel: safe.id });
		expect(reply.content).toContain('1 panel was left out (2)');
		expect(reply.content).toContain('1 removed');
		const after = threadMessages(post.id);
		expect(after.map((message) => message.id)).toEqual([post.id]);
		expect(after[0]?.content).toContain('1 panel is left out');
		expect(world.discord.messages.get(before[1]?.id ?? '')?.deleted).toBe(true);
		expect(await db().publishedMessage.count({ where: { post: { threadId: post.id } } })).toBe(1);
		const adult = world.discord.addChannel({ type: ChannelKind.Forum, name: 'adults', nsfw: true });
		expect((await publish({ channel: adult.id })).reply.content).not.toContain('left out');
	} finally {
		await db().take.updateMany({ where: { panel: { projectId: project.id, number: 2 } }, data: { mature: false } });
	}
});

test('a panel drawn after publishing is noted on the post by an edit that pings nobody; publishing again clears the note', async () => {
	const forum = world.discord.addChannel({ type: ChannelKind.Forum, name: 'activity' });
	await publish({ channel: forum.id });
	const [post] = world.discord.threadsIn(forum.id);
	if (!post) throw new Error('no post was made');
	const starter = () => threadMessages(post.id)[0];
	const before = starter()?.edits ?? 0;
	await readyPanel(world, setup, 'scene 6');
	const noted = await world.discord.waitFor(() => (starter()?.content.includes('Panel 6 added by') ? starter() : undefined), 15_000);
	expect(noted.content).toContain(`<@${setup.userId}>`);
	expect(noted.content).toContain('publish again to include it');
	expect(noted.allowed_mentions).toEqual({ parse: [] });
	expect(noted.edits).toBe(before + 1);
	const again = await publish({ channel: forum.id });
	expect(again.reply.content).toContain('in place');
	expect(starter()?.content).not.toContain('Panel 6 added');
	expect(await db().publishedPost.findFirst({ where: { threadId: post.id }, select: { activityNote: true } })).toEqual({ activityNote: null });
});

test('who may publish: the owner and an editor; a viewer and a stranger are refused privately and nothing is posted', async () => {
	const project = await db().project.findFirstOrThrow({ where: { ownerId: setup.userId }, select: { id: true } });
	const add = async (user: string, role: 'editor' | 'viewer') => {
		const sent = await world.command({
			userId: setup.userId,
			group: 'members',
			subcommand: 'add',
			options: { project: setup.project, role },
			users: { user },
		});
		await world.waitForOriginal(sent.id, (message) => message.content !== '', 30_000);
	};
	await add('500000000000000101', 'editor');
	await add('500000000000000102', 'viewer');
	expect(await db().projectMember.count({ where: { projectId: project.id } })).toBe(2);

	const forum = world.discord.addChannel({ type: ChannelKind.Forum, name: 'members-forum' });
	for (const stranger of ['500000000000000102', '500000000000000103']) {
		const refused = await publish({ channel: forum.id, userId: stranger, project: project.id });
		expect(refused.reply.ephemeral).toBe(true);
		expect(refused.reply.content).not.toContain('as a new post');
		expect(world.discord.threadsIn(forum.id)).toHaveLength(0);
	}
	const byEditor = await publish({ channel: forum.id, userId: '500000000000000101', project: project.id });
	expect(byEditor.reply.content).toContain('as a new post');
	expect(world.discord.threadsIn(forum.id)).toHaveLength(1);
});
