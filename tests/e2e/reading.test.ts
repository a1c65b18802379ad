// Reading direction end to end: `/comic project edit reading: rtl` lays pages out right to left (in
// exports, the reader and published posts), says so in ComicInfo, the post and `/comic project show`.
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ChannelKind } from '../fakes/discord.ts';
import { readZip, solid } from '../unit/images/pictures.ts';
import { embedOf, startWorld, type World } from '../world.ts';
import { messagesOf, readyPanel } from './support/comic.ts';
import { projectWithCharacter, type Setup } from './support/panels.ts';

const RED = { r: 220, g: 20, b: 20 };
const BLUE = { r: 20, g: 20, b: 220 };

let world: World;
let setup: Setup;
beforeAll(async () => {
	world = await startWorld();
	// Four portrait panels make one page of two rows; panel 1 is red, panel 2 blue, the rest grey.
	const pictures = [await solid(832, 1216, RED), await solid(832, 1216, BLUE), await solid(832, 1216, { r: 128, g: 128, b: 128 })];
	let drawn = 0;
	world.orchestrator.behaviour = () => ({ durationMs: 30, outcome: 'succeeded', image: pictures[Math.min(drawn++, 2)] });
	setup = await projectWithCharacter(world);
	for (let i = 1; i <= 4; i++) await readyPanel(world, setup, `scene ${i}`);
});
afterAll(async () => {
	await world?.close();
});

async function exported(options: Record<string, string>) {
	const { id } = await world.command({ userId: setup.userId, subcommand: 'export', options: { project: setup.project, ...options } });
	await world.waitForOriginal(id, (message) => message.attachments.length > 0, 30_000);
	return messagesOf(world, id).flatMap((message) => message.attachments);
}

/** The colour at a point of a picture, as [r, g, b]. */
async function colourAt(data: Buffer, left: number, top: number): Promise<number[]> {
	return [...(await sharp(data).removeAlpha().extract({ left, top, width: 1, height: 1 }).raw().toBuffer())];
}

const near = (colour: number[], expected: { r: number; g: number; b: number }) =>
	Math.abs((colour[0] ?? 0) - expected.r) < 40 && Math.abs((colour[1] ?? 0) - expected.g) < 40 && Math.abs((colour[2] ?? 0) - expected.b) < 40;

const comicInfo = (file: { data: Buffer } | undefined) =>
	readZip(file?.data ?? Buffer.alloc(0))
		.find((entry) => entry.name === 'ComicInfo.xml')
		?.data.toString('utf8') ?? '';

test('right to left: the first row reads from the right, ComicInfo says manga, the reader turns pages leftwards, show says so', async () => {
	const [ltrPage] = await exported({ layout: 'page', format: 'png' });
	expect(near(await colourAt(ltrPage?.data ?? Buffer.alloc(0), 430, 700), RED)).toBe(true);
	expect(near(await colourAt(ltrPage?.data ?? Buffer.alloc(0), 1170, 700), BLUE)).toBe(true);
	expect(comicInfo((await exported({ layout: 'page', format: 'cbz' }))[0])).toContain('<Manga>No</Manga>');

	const edit = await world.command({ userId: setup.userId, group: 'project', subcommand: 'edit', options: { project: setup.project, reading: 'rtl' } });
	expect(edit.reply.content).toContain('Reading: right to left');
	expect(await world.bot.database.db.project.findFirst({ where: { ownerId: setup.userId }, select: { reading: true } })).toEqual({ reading: 'rtl' });

	const [rtlPage] = await exported({ layout: 'page', format: 'png' });
	expect(near(await colourAt(rtlPage?.data ?? Buffer.alloc(0), 1170, 700), RED)).toBe(true);
	expect(near(await colourAt(rtlPage?.data ?? Buffer.alloc(0), 430, 700), BLUE)).toBe(true);
	expect(comicInfo((await exported({ layout: 'page', format: 'cbz' }))[0])).toContain('<Manga>YesAndRightToLeft</Manga>');

	const read = await world.command({ userId: setup.userId, subcommand: 'read', options: { project: setup.project } });
	const reader = await world.waitForOriginal(read.id, (message) => message.attachments.length > 0, 30_000);
	expect(near(await colourAt(reader.attachments[0]?.data ?? Buffer.alloc(0), 1170, 700), RED)).toBe(true);
	expect(JSON.stringify(reader.components)).toMatch(/◀ Next.*Previous ▶/);

	// Published, the page is the same mirrored page, and the post says how to read it.
	const forum = world.discord.addChannel({ type: ChannelKind.Forum, name: 'manga', tags: ['Manga', 'News'] });
	const published = await world.command({ userId: setup.userId, subcommand: 'publish', options: { project: setup.project }, channels: { channel: forum.id } });
	await world.waitForOriginal(published.id, (message) => message.content.includes('new post'), 30_000);
	const [post] = world.discord.threadsIn(forum.id);
	const cover = world.discord.messagesInChannel(post?.id ?? '')[0];
	expect(cover?.content).toContain('Read right to left');
	expect(post?.appliedTags).toEqual([forum.availableTags[0]?.id]);
	expect(near(await colourAt(cover?.attachments[0]?.data ?? Buffer.alloc(0), 1170, 700), RED)).toBe(true);

	const show = await world.command({ userId: setup.userId, group: 'project', subcommand: 'show', options: { project: setup.project } });
	const shown = await world.waitForOriginal(show.id, (message) => message.embeds.length > 0);
	expect(JSON.stringify(embedOf(shown).fields)).toContain('right to left (manga)');

	const wrong = await world.command({
		userId: setup.userId,
		group: 'project',
		subcommand: 'edit',
		options: { project: setup.project, reading: 'upside-down' },
	});
	expect(wrong.reply.content).toContain('`ltr`');
	expect(wrong.reply.ephemeral).toBe(true);
});
