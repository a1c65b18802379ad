// Export, the contact sheet and the reader end to end: the files the bot posts are opened and checked.
import { PDFDocument, PDFName } from 'pdf-lib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readZip } from '../unit/images/pictures.ts';
import { embedOf, pressButton, startWorld, type World } from '../world.ts';
import { drawRealPictures, messagesOf, readyPanel, sizeOf } from './support/comic.ts';
import { drawPanel, projectWithCharacter, type Setup } from './support/panels.ts';

let world: World;
let setup: Setup;
beforeAll(async () => {
	world = await startWorld();
	await drawRealPictures(world);
	setup = await projectWithCharacter(world);
	for (let i = 1; i <= 5; i++) await readyPanel(world, setup, `scene ${i}`, i === 2 ? { caption: 'Later that night…', dialogue: 'Mira: Who goes there?' } : {});
	// Panel 6 is still being drawn: exports leave it out and say so.
	world.orchestrator.behaviour = () => ({ durationMs: Number.POSITIVE_INFINITY });
	drawPanel(world, setup, 'scene 6');
	while ((await world.bot.database.db.panel.count({ where: { ownerId: setup.userId } })) < 6) await new Promise((resolve) => setTimeout(resolve, 25));
});
afterAll(async () => {
	await world?.close();
});

async function exported(options: Record<string, string>) {
	const { id } = await world.command({ userId: setup.userId, subcommand: 'export', options: { project: setup.project, ...options } });
	const first = await world.waitForOriginal(id, (message) => message.attachments.length > 0 || message.content !== '', 30_000);
	// Follow-ups come as they are encoded; the last one has arrived once nothing new shows for a moment.
	await new Promise((resolve) => setTimeout(resolve, 300));
	return { first, files: messagesOf(world, id).flatMap((message) => message.attachments) };
}

test('a JPEG strip: slices 800 px wide and at most 1280 px tall, in order, naming the panel left out', async () => {
	const { first, files } = await exported({});
	expect(first.content).toContain('Left out, not ready: 6');
	expect(first.ephemeral).toBe(false);
	expect(files.length).toBeGreaterThan(1);
	for (const file of files) {
		const size = await sizeOf(file.data);
		expect(size).toMatchObject({ width: 800, format: 'jpeg' });
		expect(size.height).toBeLessThanOrEqual(1280);
	}
	expect(files.map((file) => file.filename)).toEqual([...files.map((file) => file.filename)].sort());
});

test('pages as PNG are 1600 x 2400, four panels at most each; a range exports only those panels', async () => {
	const all = await exported({ layout: 'page', format: 'png' });
	expect(all.files).toHaveLength(2);
	for (const file of all.files) expect(await sizeOf(file.data)).toMatchObject({ width: 1600, height: 2400, format: 'png' });
	const one = await exported({ layout: 'page', format: 'webp', panels: '2' });
	expect(one.first.content).toContain('panel 2 as webp pages');
	expect(one.files).toHaveLength(1);
});

test('a PDF has a page per page; a CBZ holds the pages and ComicInfo.xml; over the attachment limit a PDF comes in parts', async () => {
	const pdf = (await exported({ format: 'pdf' })).files;
	expect(pdf).toHaveLength(1);
	expect(pdf[0]?.data.toString('latin1', 0, 5)).toBe('%PDF-');
	expect((await PDFDocument.load(pdf[0]?.data ?? Buffer.alloc(0))).getPageCount()).toBe(2);
	const cbz = (await exported({ format: 'cbz', layout: 'page' })).files;
	const entries = readZip(cbz[0]?.data ?? Buffer.alloc(0));
	expect(entries.map((entry) => entry.name)).toEqual(['page-001.jpg', 'page-002.jpg', 'ComicInfo.xml']);

	// A limit each page fits under, but not both together.
	const limit = Math.ceil(Math.max(...entries.map((entry) => entry.data.length)) / 0.97) + 20_000;
	world.discord.attachmentSizeLimit = limit;
	try {
		const parts = (await exported({ format: 'pdf' })).files;
		expect(parts.map((file) => file.filename)).toEqual([expect.stringMatching(/-part-1\.pdf$/), expect.stringMatching(/-part-2\.pdf$/)]);
		for (const part of parts) expect(part.data.length).toBeLessThanOrEqual(limit);
	} finally {
		world.discord.attachmentSizeLimit = 10 * 1024 * 1024;
	}
});

test('ComicInfo says the summary, language, letterer and part N of M; strip CBZs are webtoons; PDFs carry a language', async () => {
	const description = 'Two friends & a lighthouse <at night>.';
	await world.bot.database.db.project.updateMany({ where: { ownerId: setup.userId, name: setup.project }, data: { description } });
	const comicInfo = (file: { data: Buffer } | undefined) =>
		readZip(file?.data ?? Buffer.alloc(0))
			.find((entry) => entry.name === 'ComicInfo.xml')
			?.data.toString('utf8') ?? '';

	const pages = comicInfo((await exported({ format: 'cbz', layout: 'page' })).files[0]);
	expect(pages).toContain('<Summary>Two friends &amp; a lighthouse &lt;at night&gt;.</Summary>');
	// The fake Discord sends every interaction with the locale en-US.
	expect(pages).toContain('<LanguageISO>en-US</LanguageISO>');
	expect(pages).toContain('<Letterer>comic-bot</Letterer>');
	expect(pages).toContain('Type="FrontCover"');
	expect(pages).not.toContain('<Number>');
	expect(pages).not.toContain('<Format>');

	const strip = comicInfo((await exported({ format: 'cbz' })).files[0]);
	expect(strip).toContain('<Format>Webtoon</Format>');
	expect(strip).not.toContain('FrontCover');

	const pdf = await PDFDocument.load((await exported({ format: 'pdf' })).files[0]?.data ?? Buffer.alloc(0));
	expect(String(pdf.catalog.get(PDFName.of('Lang')))).toBe('(en-US)');
	expect(pdf.getSubject()).toBe(description);

	// Split exports: each part's ComicInfo numbers it and says how many there are.
	const single = readZip((await exported({ format: 'cbz', layout: 'page' })).files[0]?.data ?? Buffer.alloc(0));
	world.discord.attachmentSizeLimit = Math.ceil(Math.max(...single.map((entry) => entry.data.length)) / 0.97) + 20_000;
	try {
		const parts = (await exported({ format: 'cbz', layout: 'page' })).files;
		expect(parts).toHaveLength(2);
		parts.forEach((part, index) => {
			const info = comicInfo(part);
			expect(info).toContain(`<Number>${index + 1}</Number>`);
			expect(info).toContain('<Count>2</Count>');
			expect(info).toContain(`(part ${index + 1} of 2)</Title>`);
		});
	} finally {
		world.discord.attachmentSizeLimit = 10 * 1024 * 1024;
	}
});

test('one export per user at a time; ranges outside the project and empty projects are refused plainly', async () => {
	const a = world.discord.sendCommand({ userId: setup.userId, subcommand: 'export', options: { project: setup.project, layout: 'page', format: 'png' } });
	const b = world.discord.sendCommand({ userId: setup.userId, subcommand: 'export', options: { project: setup.project, layout: 'page', format: 'png' } });
	const told = await world.discord.waitFor(() =>
		messagesOf(world, a.id)
			.concat(messagesOf(world, b.id))
			.find((m) => m.content.includes('already exporting')),
	);
	expect(told.ephemeral).toBe(true);
	await world.discord.waitFor(
		() =>
			messagesOf(world, a.id)
				.concat(messagesOf(world, b.id))
				.some((m) => m.attachments.length > 0) || undefined,
		30_000,
	);

	const refused = async (options: Record<string, string>, project = setup.project) => {
		const { id } = await world.command({ userId: setup.userId, subcommand: 'export', options: { project, ...options } });
		return (await world.waitForOriginal(id, (message) => message.content !== '')).content;
	};
	expect(await refused({ panels: '4-9' })).toContain('panels 1 to 6');
	expect(await refused({ panels: 'all of them' })).toContain('like `1-8`');
	await world.command({ userId: setup.userId, group: 'project', subcommand: 'create', options: { name: 'Blank Pages' } });
	expect(await refused({}, 'Blank Pages')).toContain('no panels yet');
});

test('project show attaches a contact sheet of the ready panels', async () => {
	const { id } = await world.command({ userId: setup.userId, group: 'project', subcommand: 'show', options: { project: setup.project } });
	const shown = await world.waitForOriginal(id, (message) => message.attachments.length > 0, 20_000);
	expect(shown.ephemeral).toBe(true);
	expect(embedOf(shown).image).toEqual({ url: expect.stringContaining('panels.jpg') });
	const sheet = await sizeOf(shown.attachments[0]?.data ?? Buffer.alloc(0));
	expect(sheet.format).toBe('jpeg');
	expect(sheet.width).toBeGreaterThan(1000);
});

test('the reader: the owner posts page 1; after a restart and with the token expired, anyone presses Next and sees page 2', async () => {
	const stranger = await world.command({ userId: '100000000000008888', subcommand: 'read', options: { project: setup.project } });
	expect((await world.waitForOriginal(stranger.id, (m) => m.content !== '')).ephemeral).toBe(true);

	const posted = await world.command({ userId: setup.userId, subcommand: 'read', options: { project: setup.project } });
	const reader = await world.waitForOriginal(posted.id, (message) => message.attachments.length === 1, 20_000);
	expect(reader.ephemeral).toBe(false);
	expect(reader.content).toContain('Page 1 of 2');
	const buttons = (reader.components as { components: { custom_id: string; label: string; disabled?: boolean }[] }[])[0]?.components ?? [];
	expect(buttons.map((button) => button.label)).toEqual([expect.stringContaining('Previous'), expect.stringContaining('Next')]);
	expect(buttons[0]?.disabled).toBe(true);
	const next = buttons[1]?.custom_id ?? '';
	// The fake edits messages in place: keep page 1's bytes.
	const pageOne = Buffer.from(reader.attachments[0]?.data ?? Buffer.alloc(0));

	await world.restartBot();
	world.discord.expireToken(posted.token);
	const pressed = await pressButton(world, { customId: next, messageId: reader.id, userId: '100000000000007777' });
	expect(pressed.callback.type).toBe(7);
	const turned = await world.discord.waitFor(() => {
		const message = world.discord.messages.get(reader.id);
		return message?.content.includes('Page 2 of 2') ? message : undefined;
	});
	expect(turned.attachments).toHaveLength(1);
	expect(await sizeOf(turned.attachments[0]?.data ?? Buffer.alloc(0))).toMatchObject({ width: 1600, height: 2400 });
	expect(turned.attachments[0]?.data.equals(pageOne)).toBe(false);
});
