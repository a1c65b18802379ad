// The "Make a character" message command: on a user's picture or a panel of the bot, a modal (project,
// name), then a picture character made with the same checks as `/comic character add image:`.
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CommandAttachment } from '../fakes/discord-interactions.ts';
import { startWorld, type World } from '../world.ts';
import { drawPanel, newUserId, projectWithCharacter } from './support/panels.ts';
import { attachment } from './support/pictures.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world?.close();
});

const db = () => world.bot.database.db;
const NAME = 'Make a character';

async function newProject(userId: string, name: string): Promise<void> {
	const created = await world.command({ userId, group: 'project', subcommand: 'create', options: { name } });
	if (!created.reply.content.includes(name)) throw new Error(`project not created: ${created.reply.content}`);
}

/** Uses the message command on a message; the modal it opened, or its private answer when it opened none. */
async function useOn(
	userId: string,
	messageId: string,
): Promise<{ id: string; modal?: Record<string, unknown>; answer?: { content: string; ephemeral: boolean } }> {
	const sent = world.discord.sendMessageCommand({ userId, name: NAME, targetMessageId: messageId });
	const outcome = await world.discord.waitFor(() => {
		const modal = world.discord.modalOf(sent.id);
		if (modal) return { modal };
		const original = world.discord.originalMessage(sent.id);
		return original && original.content.length > 0 ? { answer: { content: original.content, ephemeral: original.ephemeral } } : undefined;
	});
	return { id: sent.id, ...outcome };
}

async function submit(userId: string, customId: string, project: string, name: string): Promise<{ content: string; ephemeral: boolean }> {
	const sent = world.discord.sendModalSubmit({ userId, customId, fields: { project, name } });
	const message = await world.waitForOriginal(sent.id, (original) => original.content.length > 0, 20_000);
	return { content: message.content, ephemeral: message.ephemeral };
}

test('on a user’s message with a picture: a modal with project and name, then a picture character kept in the database', async () => {
	const userId = newUserId();
	await newProject(userId, 'Harbour');
	// Someone else posted the picture: any picture in the channel may become a character.
	const posted = world.discord.postUserMessage({ userId: newUserId(), content: 'look at her', files: [await attachment('#aa3355', 'sailor.png')] });
	const used = await useOn(userId, posted.id);
	const modal = used.modal;
	if (!modal) throw new Error(`no modal: ${JSON.stringify(used.answer)}`);
	expect(modal.custom_id).toBe(`make-character:${posted.channel_id}:${posted.id}`);
	const text = JSON.stringify(modal.components);
	expect(text).toContain('"custom_id":"project"');
	expect(text).toContain('"custom_id":"name"');

	const answer = await submit(userId, String(modal.custom_id), 'harbour', 'Sailor');
	expect(answer.ephemeral).toBe(true);
	expect(answer.content).toContain('Added **Sailor** to **Harbour**');
	const character = await db().character.findFirstOrThrow({ where: { name: 'Sailor', project: { ownerId: userId } }, include: { pictures: true } });
	expect(character.lora).toBe(false);
	expect(character.pictures).toHaveLength(1);
	const [kept] = character.pictures;
	if (!kept) throw new Error('no picture');
	const meta = await sharp(Buffer.from(kept.data)).metadata();
	expect(meta.format).toBe('jpeg');
	expect([meta.width, meta.height]).toEqual([300, 400]);
	// The picture was read from the message again when the modal was submitted.
	expect(world.discord.requests.some((request) => request.method === 'GET' && request.path === `/channels/${posted.channel_id}/messages/${posted.id}`)).toBe(
		true,
	);
});

test('on a panel message of the bot: its attached picture becomes the character', async () => {
	const setup = await projectWithCharacter(world);
	// A real picture for the panel (the fake's default is a tiny PNG, too small for a reference).
	const drawnPicture = await sharp({ create: { width: 512, height: 768, channels: 3, background: '#225588' } })
		.png()
		.toBuffer();
	world.orchestrator.behaviour = () => ({ image: drawnPicture });
	const drawn = drawPanel(world, setup, 'a lighthouse keeper waves');
	const delivered = await world.waitForOriginal(drawn.id, (message) => message.attachments.length === 1, 20_000);
	world.orchestrator.behaviour = () => ({});
	const [panelPicture] = delivered.attachments;
	if (!panelPicture) throw new Error('no panel picture');
	const used = await useOn(setup.userId, delivered.id);
	if (!used.modal) throw new Error(`no modal: ${JSON.stringify(used.answer)}`);
	const answer = await submit(setup.userId, String(used.modal.custom_id), setup.project, 'Keeper');
	expect(answer.content).toContain('Added **Keeper**');
	const character = await db().character.findFirstOrThrow({ where: { name: 'Keeper', project: { ownerId: setup.userId } }, include: { pictures: true } });
	expect(character.pictures).toHaveLength(1);
	const source = await sharp(panelPicture.data).metadata();
	const kept = await sharp(Buffer.from(character.pictures[0]?.data ?? [])).metadata();
	// Kept at most 2048 px on its long side, in the panel's proportions.
	expect(Math.round(((kept.width ?? 0) / (kept.height ?? 1)) * 100)).toBe(Math.round(((source.width ?? 0) / (source.height ?? 1)) * 100));
});

test('someone else’s project is refused in plain words, privately, and nothing is stored', async () => {
	const owner = newUserId();
	await newProject(owner, 'Not Yours');
	const stranger = newUserId();
	const posted = world.discord.postUserMessage({ userId: stranger, files: [await attachment('#3355aa')] });
	const used = await useOn(stranger, posted.id);
	if (!used.modal) throw new Error('no modal');
	const answer = await submit(stranger, String(used.modal.custom_id), 'Not Yours', 'Thief');
	expect(answer.ephemeral).toBe(true);
	expect(answer.content).toContain('Not Yours');
	expect(answer.content).not.toContain('Added');
	expect(await db().character.count({ where: { name: 'Thief' } })).toBe(0);
});

test('a message without a picture is refused privately before any modal; a text file is no picture either', async () => {
	const userId = newUserId();
	const plain = world.discord.postUserMessage({ userId, content: 'just words' });
	const refused = await useOn(userId, plain.id);
	expect(refused.modal).toBeUndefined();
	expect(refused.answer?.ephemeral).toBe(true);
	expect(refused.answer?.content).toContain('no picture');

	const notes: CommandAttachment = { filename: 'notes.txt', data: Buffer.from('hello'), contentType: 'text/plain' };
	const textOnly = world.discord.postUserMessage({ userId, files: [notes] });
	const again = await useOn(userId, textOnly.id);
	expect(again.modal).toBeUndefined();
	expect(again.answer?.content).toContain('no picture');
});

test('a file that says it is a picture but is not, one too big, and a message deleted before the submission: refused, nothing stored', async () => {
	const userId = newUserId();
	await newProject(userId, 'Checks');
	const fake: CommandAttachment = { filename: 'fake.png', data: Buffer.from('this is not a png at all'), contentType: 'image/png' };
	const liar = world.discord.postUserMessage({ userId, files: [fake] });
	const usedLiar = await useOn(userId, liar.id);
	if (!usedLiar.modal) throw new Error('no modal');
	const notImage = await submit(userId, String(usedLiar.modal.custom_id), 'Checks', 'Liar');
	expect(notImage.ephemeral).toBe(true);
	expect(notImage.content).toContain('is not an image');

	const huge: CommandAttachment = { filename: 'huge.png', data: Buffer.alloc(10 * 1024 * 1024 + 1), contentType: 'image/png' };
	const big = world.discord.postUserMessage({ userId, files: [huge] });
	const usedBig = await useOn(userId, big.id);
	if (!usedBig.modal) throw new Error('no modal');
	expect((await submit(userId, String(usedBig.modal.custom_id), 'Checks', 'Huge')).content).toContain('too big');

	const gone = world.discord.postUserMessage({ userId, files: [await attachment('#55aa33')] });
	const usedGone = await useOn(userId, gone.id);
	if (!usedGone.modal) throw new Error('no modal');
	world.discord.deleteMessage(gone.id);
	expect((await submit(userId, String(usedGone.modal.custom_id), 'Checks', 'Ghost')).content).toContain('cannot read that message');

	expect(await db().character.count({ where: { project: { ownerId: userId } } })).toBe(0);
});
