// Channel safety wherever a kept picture is shown again: the reader and its presses, exports, the contact sheet.
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { noise } from '../unit/images/pictures.ts';
import { pressButton, startWorld, type World } from '../world.ts';
import { messagesOf, sizeOf } from './support/comic.ts';
import { projectWithCharacter, type Setup, submittedInput } from './support/panels.ts';

const AGE_RESTRICTED = { channelId: '300000000000000099', channelNsfw: true };
const DM = { guildId: null, channelId: '300000000000000077' };

let world: World;
let setup: Setup;
beforeAll(async () => {
	world = await startWorld();
	const picture = await noise(832, 1216);
	// The prompt picks the rating the fake gives the picture.
	world.orchestrator.behaviour = (body) => {
		const level = /rated (\w+)/.exec(String(submittedInput(body).prompt))?.[1];
		return { durationMs: 30, outcome: 'succeeded', image: picture, ...(level ? { nsfwLevel: level } : {}) };
	};
	setup = await projectWithCharacter(world);
	// Panels 1-4 are PG-13, drawn anywhere; panel 5 is rated X, drawn (and shown) in an age-restricted channel.
	for (let i = 1; i <= 4; i++) await ready(`the hero at the market ${i}, rated pg13`);
	await ready('the hero after midnight, rated x', AGE_RESTRICTED);
});
afterAll(async () => {
	await world?.close();
});

async function ready(prompt: string, where: { channelId?: string; channelNsfw?: boolean } = {}) {
	const sent = world.discord.sendCommand({ userId: setup.userId, ...where, subcommand: 'panel', options: { project: setup.project, prompt, enhance: false } });
	return world.waitForOriginal(sent.id, (message) => message.attachments.length === 1, 20_000);
}

async function exported(where: { channelId?: string; channelNsfw?: boolean; guildId?: string | null }) {
	const { id } = await world.command({
		userId: setup.userId,
		...where,
		subcommand: 'export',
		options: { project: setup.project, layout: 'strip', format: 'jpeg' },
	});
	const first = await world.waitForOriginal(id, (message) => message.attachments.length > 0 || message.content !== '', 30_000);
	await new Promise((resolve) => setTimeout(resolve, 300));
	const files = messagesOf(world, id).flatMap((message) => message.attachments);
	let height = 0;
	for (const file of files) height += (await sizeOf(file.data)).height;
	return { content: first.content, height };
}

test('the rating is kept on the take: the X picture is mature, the PG-13 one is not', async () => {
	const takes = await world.bot.database.db.take.findMany({ where: { panel: { ownerId: setup.userId } }, include: { panel: { select: { number: true } } } });
	const byNumber = takes.map((take) => [take.panel.number, take.mature, take.width, take.height]).sort();
	expect(byNumber).toEqual([1, 2, 3, 4].map((number) => [number, false, 832, 1216]).concat([[5, true, 832, 1216]]));
});

test('a picture rated PG, drawn with a mature model, is mature too', async () => {
	const velvet = await projectWithCharacter(world, { version: { model: { name: 'Velvet', nsfw: true } } });
	const sent = world.discord.sendCommand({
		userId: velvet.userId,
		...AGE_RESTRICTED,
		subcommand: 'panel',
		options: { project: velvet.project, prompt: 'velvet sings, rated pg', enhance: false },
	});
	await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1, 20_000);
	const take = await world.bot.database.db.take.findFirstOrThrow({ where: { panel: { ownerId: velvet.userId } } });
	expect(take.mature).toBe(true);
});

test('an export outside an age-restricted channel, and in a DM, leaves the mature panel out and says how many', async () => {
	const restricted = await exported(AGE_RESTRICTED);
	expect(restricted.content).not.toContain('left out');
	const plain = await exported({});
	expect(plain.content).toContain('1 panel was left out (5)');
	expect(plain.content).toContain('age-restricted');
	// The strip holds four panels instead of five.
	expect(plain.height).toBeLessThan(restricted.height);
	const dm = await exported(DM);
	expect(dm.content).toContain('1 panel was left out (5)');
	expect(dm.height).toBe(plain.height);
});

test('a PDF export (pages) outside an age-restricted channel has the four safe panels on one page; there, five panels on two', async () => {
	const pages = async (where: object) => {
		const { id } = await world.command({ userId: setup.userId, ...where, subcommand: 'export', options: { project: setup.project, format: 'pdf' } });
		const first = await world.waitForOriginal(id, (message) => message.attachments.length > 0, 30_000);
		const pdf = await PDFDocument.load(first.attachments[0]?.data ?? Buffer.alloc(0));
		return { content: first.content, pages: pdf.getPageCount() };
	};
	expect(await pages({})).toEqual({ content: expect.stringContaining('1 panel was left out (5)'), pages: 1 });
	expect(await pages(AGE_RESTRICTED)).toEqual({ content: expect.not.stringContaining('left out'), pages: 2 });
});

test('the contact sheet of /comic project show leaves the mature panel out outside age-restricted channels', async () => {
	const show = async (where: object) => {
		const { id } = await world.command({ userId: setup.userId, ...where, group: 'project', subcommand: 'show', options: { project: setup.project } });
		return world.waitForOriginal(id, (message) => message.attachments.length > 0, 20_000);
	};
	const plain = await show({});
	expect(plain.content).toContain('1 panel was left out (5)');
	const restricted = await show(AGE_RESTRICTED);
	expect(restricted.content).not.toContain('left out');
});

test('the reader outside an age-restricted channel leaves the mature panel out; a press decides by its own channel', async () => {
	const plain = await world.command({ userId: setup.userId, subcommand: 'read', options: { project: setup.project } });
	const shown = await world.waitForOriginal(plain.id, (message) => message.attachments.length === 1, 20_000);
	expect(shown.content).toContain('Page 1 of 1');
	expect(shown.content).toContain('1 panel was left out (5)');

	// Five panels make two pages where all may be shown: the fifth is on page 2.
	const restricted = await world.command({ userId: setup.userId, ...AGE_RESTRICTED, subcommand: 'read', options: { project: setup.project } });
	const reader = await world.waitForOriginal(restricted.id, (message) => message.attachments.length === 1, 20_000);
	expect(reader.content).toContain('Page 1 of 2');
	expect(reader.content).not.toContain('left out');
	const next = (reader.components as { components: { custom_id: string }[] }[])[0]?.components[1]?.custom_id ?? '';

	// Anyone may press; a press from an age-restricted channel shows page 2 with the mature panel.
	const inRestricted = await pressButton(world, { customId: next, messageId: reader.id, userId: '100000000000007771', channelNsfw: true });
	expect(inRestricted.callback.type).toBe(7);
	const page2 = await world.discord.waitFor(() => {
		const message = world.discord.messages.get(reader.id);
		return message?.content.includes('Page 2 of 2') ? message : undefined;
	});
	expect(page2.content).not.toContain('left out');

	// The same press from a channel that is not age-restricted: the mature panel is left out, and the pages with it.
	await pressButton(world, { customId: next, messageId: reader.id, userId: '100000000000007772', channelNsfw: false });
	const safe = await world.discord.waitFor(() => {
		const message = world.discord.messages.get(reader.id);
		return message?.content.includes('left out') ? message : undefined;
	});
	expect(safe.content).toContain('Page 1 of 1');
	expect(safe.content).toContain('1 panel was left out (5)');
});
