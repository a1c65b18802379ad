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

/** A ready panel of a new user drawn with a real picture (rated `nsfwLevel`), in `channel`; its message. */
async function panelWithPicture(channel: { channelId?: string; channelNsfw?: boolean }, nsfwLevel = 'pg') {
	const setup = await projectWithCharacter(world);
	const drawnPicture = await sharp({ create: { width: 512, height: 768, channels: 3, background: '#558822' } })
		.png()
		.toBuffer();
	world.orchestrator.behaviour = () => ({ image: drawnPicture, nsfwLevel });
	try {
		const drawn = world.discord.sendCommand({
			userId: setup.userId,
			...channel,
			subcommand: 'panel',
			options: { project: setup.project, prompt: 'a gardener', enhance: false },
		});
		const message = await world.waitForOriginal(
			drawn.id,
			(reply) => reply.components.length > 0 && JSON.stringify(reply.components).includes('Redraw'),
			20_000,
		);
		return { setup, message };
	} finally {
		world.orchestrator.behaviour = () => ({});
	}
}

const characterButton = (message: { components: unknown[] }) => {
	const found =
		/"custom_id":"(panel:character:[^"]+)"[^}]*"label":"([^"]*Make a character[^"]*)"|"label":"([^"]*Make a character[^"]*)"[^}]*"custom_id":"(panel:character:[^"]+)"/.exec(
			JSON.stringify(message.components),
		);
	const customId = found?.[1] ?? found?.[4];
	if (!customId) throw new Error(`no Make a character button in ${JSON.stringify(message.components)}`);
	return customId;
};

test("a panel message offers Make a character from its buttons: the same modal for its owner, refused privately for anyone else, and a character from the panel's picture", async () => {
	const { setup, message } = await panelWithPicture({});
	const customId = characterButton(message);
	// Someone else: a private refusal before any modal.
	const stranger = world.discord.sendButton({ customId, messageId: message.id, userId: newUserId() });
	const refusal = await world.waitForOriginal(stranger.id, (reply) => reply.content.length > 0);
	expect(refusal.ephemeral).toBe(true);
	expect(refusal.content).toContain('Only the owner');
	expect(world.discord.modalOf(stranger.id)).toBeUndefined();

	const pressed = world.discord.sendButton({ customId, messageId: message.id, userId: setup.userId });
	const modal = await world.discord.waitFor(() => world.discord.modalOf(pressed.id));
	// The same form as the message command: it names the panel's message, nothing kept in memory.
	expect(modal.custom_id).toBe(`make-character:${message.channel_id}:${message.id}`);
	const inputs = JSON.stringify(modal.components);
	expect(inputs).toContain('"custom_id":"project"');
	expect(inputs).toContain('"custom_id":"name"');
	const answer = await submit(setup.userId, String(modal.custom_id), setup.project, 'Gardener');
	expect(answer.content).toContain('Added **Gardener**');
	const character = await db().character.findFirstOrThrow({ where: { name: 'Gardener', project: { ownerId: setup.userId } }, include: { pictures: true } });
	expect(character.lora).toBe(false);
	expect(character.pictures).toHaveLength(1);
	expect(character.nsfw).toBe(false);
});

test('Make a character on a panel whose picture is mature, outside an age-restricted channel: no button, a forged press and the message command refused in plain words, nothing stored; where it shows, the character made from it is mature', async () => {
	// Drawn in a channel that is not age-restricted and rated X: the bot withholds the picture there.
	const { setup, message } = await panelWithPicture({}, 'X');
	expect(message.attachments).toHaveLength(0);
	// Withheld, the panel offers no Make a character; a press forged from its drawing's id is refused.
	expect(JSON.stringify(message.components)).not.toContain('Make a character');
	const drawingId = /panel:redraw:([0-9a-f-]+)/.exec(JSON.stringify(message.components))?.[1] ?? '?';
	const pressed = world.discord.sendButton({ customId: `panel:character:${drawingId}`, messageId: message.id, userId: setup.userId });
	const refusal = await world.waitForOriginal(pressed.id, (reply) => reply.content.length > 0);
	expect(refusal.ephemeral).toBe(true);
	expect(refusal.content).toContain('withheld from this channel');
	expect(world.discord.modalOf(pressed.id)).toBeUndefined();
	const used = await useOn(setup.userId, message.id);
	expect(used.modal).toBeUndefined();
	expect(used.answer?.ephemeral).toBe(true);
	expect(used.answer?.content).toContain('no picture');
	expect(await db().character.count({ where: { project: { ownerId: setup.userId } } })).toBe(1);

	// In an age-restricted channel the picture shows, and the character made from it is mature.
	const restricted = { channelId: '300000000000000777', channelNsfw: true };
	const shown = await panelWithPicture(restricted, 'X');
	expect(shown.message.attachments).toHaveLength(1);
	const inside = world.discord.sendButton({ customId: characterButton(shown.message), messageId: shown.message.id, userId: shown.setup.userId, ...restricted });
	const modal = await world.discord.waitFor(() => world.discord.modalOf(inside.id));
	const sent = world.discord.sendModalSubmit({
		userId: shown.setup.userId,
		customId: String(modal.custom_id),
		fields: { project: shown.setup.project, name: 'Night gardener' },
		...restricted,
	});
	const answer = await world.waitForOriginal(sent.id, (original) => original.content.length > 0, 20_000);
	expect(answer.content).toContain('Added **Night gardener**');
	expect((await db().character.findFirstOrThrow({ where: { name: 'Night gardener', project: { ownerId: shown.setup.userId } } })).nsfw).toBe(true);
});
