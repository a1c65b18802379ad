// Characters made from pictures: added from Discord attachments (and refused in plain words), kept in the
// database, uploaded to the orchestrator's blob store, and drawn by imageGen engines.
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { embedOf, startWorld, type World } from '../world.ts';
import { buttonOf, press } from './support/actions.ts';
import { expectNoPings, footerOf, newUserId, projectWithCharacter, submittedInput, waitForFailure, waitForPanel } from './support/panels.ts';
import { attachment, picture, projectWithPictureCharacters } from './support/pictures.ts';

let world: World;
const ADMIN = (2248473465835073n | 0x20n).toString();
beforeAll(async () => {
	world = await startWorld();
	// These tests draw at once: the default server asks above 100000 Buzz (the confirmation has its own test, elsewhere).
	const set = await world.command({ memberPermissions: ADMIN, subcommand: 'settings', options: { confirm_above: 100_000 } });
	if (!(await world.waitForOriginal(set.id, (message) => message.content.length > 0)).content.includes('100000 Buzz')) throw new Error('confirm_above not set');
});
afterAll(async () => {
	await world?.close();
});

const db = () => world.bot.database.db;

function stepOf(body: unknown): { $type: unknown; input: Record<string, unknown> } {
	const steps = typeof body === 'object' && body !== null && 'steps' in body && Array.isArray(body.steps) ? body.steps : [];
	const [step] = steps;
	const type = typeof step === 'object' && step !== null && '$type' in step ? step.$type : undefined;
	return { $type: type, input: submittedInput(body) };
}

test('a character from a picture: downloaded at once, checked, kept as a JPEG of at most 2048 px with a thumbnail; list shows it with its thumbnail', async () => {
	const userId = newUserId();
	await world.command({ userId, group: 'project', subcommand: 'create', options: { name: 'Rooftops' } });
	const big = await sharp({ create: { width: 3000, height: 4000, channels: 3, background: '#3366cc' } })
		.png()
		.toBuffer();
	const added = await world.command({
		userId,
		group: 'character',
		subcommand: 'add',
		options: { project: 'Rooftops', name: 'Mira', description: 'a girl with a red scarf' },
		attachments: { image: { filename: 'mira.png', data: big, contentType: 'image/png' }, image2: await attachment('#cc3333') },
	});
	const reply = await world.waitForOriginal(added.id, (message) => message.content.includes('Added'));
	expect(reply.ephemeral).toBe(true);
	expect(reply.content).toContain('Mira');
	expect(reply.content).toContain('2 pictures');
	expect(reply.content).toContain('nano-banana-2');

	const character = await db().character.findFirstOrThrow({
		where: { name: 'Mira', project: { ownerId: userId } },
		include: { pictures: { orderBy: { position: 'asc' } } },
	});
	expect(character.lora).toBe(false);
	expect(character.description).toBe('a girl with a red scarf');
	expect(character.pictures).toHaveLength(2);
	const [first] = character.pictures;
	if (!first) throw new Error('no picture');
	const meta = await sharp(Buffer.from(first.data)).metadata();
	expect(meta.format).toBe('jpeg');
	expect(Math.max(meta.width, meta.height)).toBe(2048);
	expect(first.width).toBe(1536);
	expect(first.height).toBe(2048);
	const thumb = await sharp(Buffer.from(first.thumbnail)).metadata();
	expect(Math.max(thumb.width, thumb.height)).toBeLessThanOrEqual(256);
	// Nothing uploaded yet: the blob store is used when a panel needs the picture.
	expect(world.orchestrator.uploads).toHaveLength(0);

	const list = await world.command({ userId, group: 'character', subcommand: 'list', options: { project: 'Rooftops' } });
	const listed = await world.waitForOriginal(list.id, (message) => message.embeds.length > 0);
	expect(JSON.stringify(listed.embeds)).toContain('From 2 pictures');
	expect(JSON.stringify(listed.embeds)).toContain('attachment://character-1.jpg');
	expect(listed.attachments.map((file) => file.filename)).toContain('character-1.jpg');

	const show = await world.command({ userId, group: 'project', subcommand: 'show', options: { project: 'Rooftops' } });
	const shown = await world.waitForOriginal(show.id, (message) => message.embeds.length > 0);
	expect(JSON.stringify(shown.embeds)).toContain('from pictures');
	expect(shown.attachments.map((file) => file.filename)).toContain('character-1.jpg');
	expectNoPings(world.discord);
});

test('refused in plain words, nothing stored: not an image, too big, a link that died, neither or both of model and image, no name', async () => {
	const userId = newUserId();
	await world.command({ userId, group: 'project', subcommand: 'create', options: { name: 'Refusals' } });
	const add = async (options: Record<string, string>, attachments?: Parameters<World['command']>[0]['attachments']) => {
		const sent = await world.command({
			userId,
			group: 'character',
			subcommand: 'add',
			options: { project: 'Refusals', ...options },
			...(attachments ? { attachments } : {}),
		});
		return (await world.waitForOriginal(sent.id, (message) => message.content.length > 0)).content;
	};
	const notImage = await add(
		{ name: 'Text' },
		{ image: { filename: 'notes.png', data: Buffer.from('hello, this is not a picture at all'), contentType: 'image/png' } },
	);
	expect(notImage).toContain('is not an image');
	expect(notImage).toContain('notes.png');

	const huge = Buffer.concat([await picture('#112233'), Buffer.alloc(10 * 1024 * 1024 + 1)]);
	expect(await add({ name: 'Huge' }, { image: { filename: 'huge.png', data: huge, contentType: 'image/png' } })).toContain('too big');

	const gone = await add({ name: 'Gone' }, { image: { ...(await attachment('#445566')), gone: true } });
	expect(gone).toContain('could not be downloaded');
	expect(gone).toContain('404');

	expect(await add({ name: 'Nothing' })).toContain('exactly one of `model`');
	expect(await add({ name: 'Both', model: '12345' }, { image: await attachment('#778899') })).toContain('exactly one of `model`');
	expect(await add({}, { image: await attachment('#778899') })).toContain('needs a `name`');

	expect(await db().character.count({ where: { project: { ownerId: userId } } })).toBe(0);
	expect(await db().characterPicture.count({ where: { character: { project: { ownerId: userId } } } })).toBe(0);
});

test('a panel with two picture characters: one imageGen workflow on nano-banana-2 with both pictures named in the prompt, 3:4, numImages for takes; Details names the engine and references', async () => {
	const setup = await projectWithPictureCharacters(world, { Mira: '#cc3333', Bolt: '#33cc33' });
	const uploadsBefore = world.orchestrator.uploads.length;
	const sent = world.discord.sendCommand({
		userId: setup.userId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: '@Mira argues with @Bolt on a rainy rooftop', enhance: false, takes: 2 },
	});
	const ready = await world.waitForOriginal(sent.id, (message) => message.attachments.length === 2, 20_000);
	const submission = world.orchestrator.submissions.at(-1);
	const step = stepOf(submission?.body);
	expect(step.$type).toBe('imageGen');
	expect(step.input).toMatchObject({ engine: 'google', model: 'nano-banana-2', aspectRatio: '3:4', numImages: 2, outputFormat: 'jpeg' });
	expect(step.input.quantity).toBeUndefined();
	expect(step.input.prompt).toBe(
		'Comic panel with Mira (image 1: Mira the hero); Bolt (image 2: Bolt the hero). Keep each character exactly as in their reference images. Mira argues with Bolt on a rainy rooftop',
	);
	// Both pictures went to the blob store once, and the request names their signed URLs in order.
	const uploads = world.orchestrator.uploads.slice(uploadsBefore);
	expect(uploads).toHaveLength(2);
	expect(step.input.images).toEqual([expect.stringContaining(uploads[0]?.blobId ?? '?'), expect.stringContaining(uploads[1]?.blobId ?? '?')]);
	expect(JSON.stringify(embedOf(ready))).toContain('nano-banana-2');
	expect(JSON.stringify(embedOf(ready))).toContain('208');

	const drawing = await waitForPanel(world, sent.id, (row) => row.status === 'ready');
	expect(drawing.engine).toBe('nano-banana-2');
	expect(drawing.cost).toBe(208);
	const details = await press(world, ready, 'Details', setup.userId);
	const detailsText = JSON.stringify(details.callback.data);
	expect(detailsText).toContain('nano-banana-2');
	expect(detailsText).toContain('2 pictures of the characters');
	expect(detailsText).toContain('drawn from pictures');

	// Redraw keeps the way of drawing; the blobs are reused, not uploaded again, while their URLs live.
	const uploadsAtRedraw = world.orchestrator.uploads.length;
	const redraw = await press(world, ready, 'Redraw', setup.userId);
	expect(redraw.callback.type).toBeGreaterThan(0);
	await world.discord.waitFor(() => (world.orchestrator.submissions.at(-1) !== submission ? true : undefined), 15_000);
	expect(stepOf(world.orchestrator.submissions.at(-1)?.body).$type).toBe('imageGen');
	expect(world.orchestrator.uploads.length).toBe(uploadsAtRedraw);
	expect(buttonOf(ready, 'Use 2')).toBeDefined();
	expectNoPings(world.discord);
});

test('engines switched with /comic project edit: each builds its own input; auto goes back to nano-banana-2', async () => {
	const setup = await projectWithPictureCharacters(world, { Nova: '#3333cc' });
	const expected: Record<string, Record<string, unknown>> = {
		'nano-banana-pro': { engine: 'google', model: 'nano-banana-pro', aspectRatio: '3:4', numImages: 1 },
		seedream: { engine: 'seedream', version: 'v4.5', width: 1536, height: 2048, quantity: 1 },
		flux2: { engine: 'flux2', model: 'dev', operation: 'editImage', width: 768, height: 1024, quantity: 1 },
		qwen: { engine: 'sdcpp', ecosystem: 'qwen', model: '20b', operation: 'editImage', quantity: 1 },
		auto: { engine: 'google', model: 'nano-banana-2' },
	};
	for (const [engine, shape] of Object.entries(expected)) {
		const edit = await world.command({ userId: setup.userId, group: 'project', subcommand: 'edit', options: { project: setup.project, engine } });
		expect((await world.waitForOriginal(edit.id, (message) => message.content.includes('Saved'))).content).toContain('Engine');
		const sent = world.discord.sendCommand({
			userId: setup.userId,
			subcommand: 'panel',
			options: { project: setup.project, prompt: `Nova waves (${engine})`, enhance: false },
		});
		const ready = await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1, 20_000);
		const step = stepOf(world.orchestrator.submissions.at(-1)?.body);
		expect(step.$type).toBe('imageGen');
		expect(step.input).toMatchObject(shape);
		if (engine === 'nano-banana-pro' || engine === 'qwen') expect(step.input.seed).toBeUndefined();
		else expect(step.input.seed).toEqual(expect.any(Number));
		expect(JSON.stringify(embedOf(ready))).toContain(engine === 'auto' ? 'nano-banana-2' : engine);
	}
	// A bad engine name (sent past the choices by another client) is refused at the edge, naming the choices.
	const bad = await world.command({ userId: setup.userId, group: 'project', subcommand: 'edit', options: { project: setup.project, engine: 'dall-e' } });
	const refusal = await world.waitForOriginal(bad.id, (message) => message.content.length > 0);
	expect([refusal.ephemeral, refusal.content]).toEqual([true, expect.stringContaining('must be one of `auto`, `nano-banana-2`')]);
});

test('mixing: a LoRA character without pictures and a picture character in one panel is refused; with /comic character pictures the LoRA character joins from its pictures', async () => {
	const setup = await projectWithCharacter(world);
	const mira = await world.command({
		userId: setup.userId,
		group: 'character',
		subcommand: 'add',
		options: { project: setup.project, name: 'Mira' },
		attachments: { image: await attachment('#aa2222') },
	});
	await world.waitForOriginal(mira.id, (message) => message.content.includes('Added'));
	const lora = setup.character;
	const refused = await world.command({
		userId: setup.userId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: `@${lora} and @Mira share an umbrella`, enhance: false },
	});
	const refusal = await world.waitForOriginal(refused.id, (message) => message.content.length > 0);
	expect(refusal.ephemeral).toBe(true);
	expect(refusal.content).toContain('one way of drawing');
	expect(refusal.content).toContain('/comic character pictures');

	// The LoRA character alone still draws exactly as before: textToImage.
	const alone = world.discord.sendCommand({
		userId: setup.userId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: `@${lora} alone`, enhance: false },
	});
	await world.waitForOriginal(alone.id, (message) => message.attachments.length === 1, 20_000);
	expect(stepOf(world.orchestrator.submissions.at(-1)?.body).$type).toBe('textToImage');

	const given = await world.command({
		userId: setup.userId,
		group: 'character',
		subcommand: 'pictures',
		options: { project: setup.project, character: lora },
		attachments: { image: await attachment('#2222aa') },
	});
	expect((await world.waitForOriginal(given.id, (message) => message.content.length > 0)).content).toContain('now has 1 reference picture');

	const both = world.discord.sendCommand({
		userId: setup.userId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: `@${lora} and @Mira share an umbrella`, enhance: false },
	});
	await world.waitForOriginal(both.id, (message) => message.attachments.length === 1, 20_000);
	const step = stepOf(world.orchestrator.submissions.at(-1)?.body);
	expect(step.$type).toBe('imageGen');
	expect(step.input.images).toHaveLength(2);
	expect(String(step.input.prompt)).toContain(`${lora} (image 1)`);
	expect(String(step.input.prompt)).toContain('Mira (image 2)');
});

test('failures in plain words: the blob store refuses a picture (422), no provider, a blocked picture withheld', async () => {
	const setup = await projectWithPictureCharacters(world, { Ada: '#999900' });
	world.orchestrator.refuseBlob = () => true;
	try {
		const sent = world.discord.sendCommand({
			userId: setup.userId,
			subcommand: 'panel',
			options: { project: setup.project, prompt: 'Ada reads', enhance: false },
		});
		const { footer, panel } = await waitForFailure(world, sent.id);
		expect(footer).toContain('image store refused a reference picture of **Ada**');
		expect(panel.workflowId).toBeNull();
	} finally {
		world.orchestrator.refuseBlob = () => false;
	}

	const previous = world.orchestrator.behaviour;
	world.orchestrator.behaviour = (body) =>
		JSON.stringify(body).includes('[noprovider]')
			? { outcome: 'failed', jobReason: 'no_provider_available' }
			: JSON.stringify(body).includes('[blocked]')
				? { blockedReason: 'MatureContent' }
				: {};
	try {
		const none = world.discord.sendCommand({
			userId: setup.userId,
			subcommand: 'panel',
			options: { project: setup.project, prompt: 'Ada waits [noprovider]', enhance: false },
		});
		expect((await waitForFailure(world, none.id)).footer).toContain('No generator for this engine is available');
		const blocked = world.discord.sendCommand({
			userId: setup.userId,
			subcommand: 'panel',
			options: { project: setup.project, prompt: 'Ada dances [blocked]', enhance: false },
		});
		const failure = await waitForFailure(world, blocked.id);
		expect(failure.footer).toContain('withheld');
		expect(failure.message.attachments).toHaveLength(0);
	} finally {
		world.orchestrator.behaviour = previous;
	}
});

test("the orchestrator's timeout and blocked job reasons for a picture panel are told in plain words in its message", async () => {
	const setup = await projectWithPictureCharacters(world, { Oda: '#446688' });
	const previous = world.orchestrator.behaviour;
	world.orchestrator.behaviour = (body) =>
		JSON.stringify(body).includes('[slow]')
			? { outcome: 'failed', jobReason: 'timeout' }
			: JSON.stringify(body).includes('[refused]')
				? { outcome: 'failed', jobReason: 'blocked' }
				: {};
	try {
		const slow = world.discord.sendCommand({
			userId: setup.userId,
			subcommand: 'panel',
			options: { project: setup.project, prompt: '@Oda waits [slow]', enhance: false },
		});
		const timedOut = await waitForFailure(world, slow.id, 20_000);
		expect(timedOut.footer).toContain('The generator took too long with this panel and gave up');
		expect(timedOut.footer).toContain('refunded');
		expect(timedOut.panel.engine).toBe('nano-banana-2');
		const refused = world.discord.sendCommand({
			userId: setup.userId,
			subcommand: 'panel',
			options: { project: setup.project, prompt: '@Oda shouts [refused]', enhance: false },
		});
		const blocked = await waitForFailure(world, refused.id, 20_000);
		expect(blocked.footer).toContain("Civitai's moderation blocked this prompt");
		expect(blocked.footer).not.toContain('[refused]');
		expect(blocked.message.attachments).toHaveLength(0);
	} finally {
		world.orchestrator.behaviour = previous;
	}
});

test('a reference the orchestrator cannot read: refused at submission, told in plain words, nothing billed', async () => {
	const setup = await projectWithPictureCharacters(world, { Kit: '#006666' });
	// The first panel uploads the blob; then the store forgets it and the URL is kept as if still valid.
	const first = world.discord.sendCommand({
		userId: setup.userId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: 'Kit sits', enhance: false },
	});
	await world.waitForOriginal(first.id, (message) => message.attachments.length === 1, 20_000);
	const picture = await db().characterPicture.findFirstOrThrow({ where: { character: { project: { ownerId: setup.userId } } } });
	expect(picture.blobId).toBeTruthy();
	await db().characterPicture.update({ where: { id: picture.id }, data: { blobUrlExpiresAt: new Date(Date.now() + 24 * 3600_000) } });
	world.orchestrator.dropBlob(picture.blobId ?? '');
	const before = world.orchestrator.workflows.size;
	const sent = world.discord.sendCommand({
		userId: setup.userId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: 'Kit stands', enhance: false },
	});
	const { footer } = await waitForFailure(world, sent.id);
	expect(footer).toContain('could not read the reference pictures');
	expect(world.orchestrator.workflows.size).toBe(before);
	expect(footerOf(world.discord.originalMessage(sent.id) ?? ({ embeds: [] } as never))).toContain('no Buzz');
});

test('a character made from pictures in an age-restricted channel is mature: its thumbnail and its panels stay in age-restricted channels', async () => {
	const userId = newUserId();
	const restricted = { channelId: '300000000000000098', channelNsfw: true };
	await world.command({ userId, group: 'project', subcommand: 'create', options: { name: 'After Dark' } });
	const added = await world.command({
		userId,
		...restricted,
		group: 'character',
		subcommand: 'add',
		options: { project: 'After Dark', name: 'Vex' },
		attachments: { image: await attachment('#552244') },
	});
	await world.waitForOriginal(added.id, (message) => message.content.includes('Added'));
	expect((await db().character.findFirstOrThrow({ where: { name: 'Vex', project: { ownerId: userId } } })).nsfw).toBe(true);

	const listed = async (where: { channelId?: string; channelNsfw?: boolean }) => {
		const sent = await world.command({ userId, ...where, group: 'character', subcommand: 'list', options: { project: 'After Dark' } });
		return world.waitForOriginal(sent.id, (message) => message.embeds.length > 0);
	};
	expect((await listed({})).attachments).toHaveLength(0);
	expect((await listed(restricted)).attachments).toHaveLength(1);

	const submissions = world.orchestrator.submissions.length;
	const refused = await world.command({ userId, subcommand: 'panel', options: { project: 'After Dark', prompt: '@Vex walks home' } });
	const answer = await world.waitForOriginal(refused.id, (message) => message.content.length > 0);
	expect(answer.ephemeral).toBe(true);
	expect(answer.content).toMatch(/age-restricted/i);
	expect(world.orchestrator.submissions.length).toBe(submissions);
	expectNoPings(world.discord);
});
