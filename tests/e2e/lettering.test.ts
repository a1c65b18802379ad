// Words on panels end to end: lettered at delivery, lettered again on `/comic panels text` without a
// drawing, refused plainly when they cannot be lettered; panels moved and deleted with renumbering.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { waitFor } from '../process.ts';
import { embedOf, pressButton, startWorld, type World } from '../world.ts';
import { differingPixels, drawRealPictures, readyPanel, sizeOf } from './support/comic.ts';
import { projectWithCast } from './support/cast.ts';
import { expectNoPings, projectWithCharacter } from './support/panels.ts';
import { planJson, press as pressStory, scriptPlanner, storyMessage } from './support/story.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld();
	await drawRealPictures(world);
});
afterAll(async () => {
	await world?.close();
});

const db = () => world.bot.database.db;

async function refusal(input: Parameters<World['command']>[0]): Promise<string> {
	const { id } = await world.command(input);
	const message = await world.waitForOriginal(id, (reply) => reply.content !== '');
	expect(message.ephemeral).toBe(true);
	return message.content;
}

test('a panel with a caption and dialogue is shown lettered; new words letter it again within a second, with no new drawing', async () => {
	const setup = await projectWithCharacter(world);
	const shown = await readyPanel(world, setup, 'a rooftop chase', {
		caption: 'Meanwhile, in **Neo City**…',
		dialogue: 'Mira: Run! <@123456789012345678> | Rex: Not without the map. @everyone',
	});
	const take = await db().take.findFirstOrThrow({ where: { panel: { prompt: 'a rooftop chase' }, chosen: true } });
	const plain = await readFile(join(world.config.DATA_DIR, 'panels', take.imagePath));
	const [attachment] = shown.attachments;
	if (!attachment) throw new Error('no attachment');
	expect(attachment.filename).toMatch(/\.png$/);
	expect(await sizeOf(attachment.data)).toMatchObject({ width: 832, height: 1216 });
	// The caption box across the top changed the picture there; the plain picture is kept as drawn.
	expect(await differingPixels(plain, attachment.data, { left: 0, top: 0, width: 832, height: 200 })).toBeGreaterThan(5_000);
	expect(take.letteredPath).toMatch(/-lettered-/);
	expectNoPings(world.discord);

	const submitted = world.orchestrator.submissions.length;
	const text = await world.command({
		userId: setup.userId,
		group: 'panels',
		subcommand: 'text',
		options: { project: setup.project, panel: 1, dialogue: 'Rex: Fine. TAKE IT!' },
	});
	const after = await world.waitForOriginal(text.id, (message) => message.content.includes('New words'));
	expect(after.ephemeral).toBe(true);
	const edited = world.discord.messages.get(shown.id);
	const [again] = edited?.attachments ?? [];
	if (!again) throw new Error('the panel message lost its picture');
	expect(await differingPixels(attachment.data, again.data)).toBeGreaterThan(1_000);
	expect(world.orchestrator.submissions.length).toBe(submitted);
	expect(await db().panel.findFirst({ where: { prompt: 'a rooftop chase' }, select: { caption: true, dialogue: true } })).toEqual({
		caption: 'Meanwhile, in **Neo City**…',
		dialogue: 'Rex: Fine. TAKE IT!',
	});
	expect(embedOf(edited ?? shown).image).toEqual({ url: expect.stringContaining('panel-1.png') });
});

test('words that do not fit, or that the fonts cannot draw, are refused privately and nothing is stored', async () => {
	const setup = await projectWithCharacter(world);
	await readyPanel(world, setup, 'a quiet street');
	const long = Array.from({ length: 12 }, (_, i) => `Mira: This is line ${i} of a speech far too long for one panel`)
		.join(' | ')
		.slice(0, 600);
	const tooLong = await refusal({ userId: setup.userId, group: 'panels', subcommand: 'text', options: { project: setup.project, panel: 1, dialogue: long } });
	expect(tooLong).toMatch(/about \d+ of their \d+ characters fit/);
	const script = await refusal({
		userId: setup.userId,
		group: 'panels',
		subcommand: 'text',
		options: { project: setup.project, panel: 1, caption: 'こんにちは 𓀀' },
	});
	// Japanese letters; an Egyptian hieroglyph is in no shipped font.
	expect(script).toContain('No shipped font has these characters: “𓀀” (U+13000)');
	const atDraw = await refusal({
		userId: setup.userId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: 'again', caption: '你好 𐀀', enhance: false },
	});
	expect(atDraw).toContain('U+10000');
	expect(await db().panel.findMany({ where: { project: { ownerId: setup.userId } }, select: { caption: true, dialogue: true } })).toEqual([
		{ caption: null, dialogue: null },
	]);
	expect(await refusal({ userId: setup.userId, group: 'panels', subcommand: 'text', options: { project: setup.project, panel: 7, caption: 'x' } })).toContain(
		'panels 1 to 1',
	);
});

test('panels move and delete renumber the project; delete asks first and only the owner may confirm', async () => {
	const setup = await projectWithCharacter(world);
	for (const prompt of ['one', 'two', 'three']) await readyPanel(world, setup, prompt);
	const order = async () => (await db().panel.findMany({ where: { ownerId: setup.userId }, orderBy: { number: 'asc' } })).map((p) => `${p.number}:${p.prompt}`);
	await world.command({ userId: setup.userId, group: 'panels', subcommand: 'move', options: { project: setup.project, panel: 3, to: 1 } });
	expect(await order()).toEqual(['1:three', '2:one', '3:two']);

	const asked = await world.command({ userId: setup.userId, group: 'panels', subcommand: 'delete', options: { project: setup.project, panel: 2 } });
	expect(asked.reply.content).toContain('Delete panel 2');
	const rows = asked.reply.components as { components: { custom_id: string; label: string }[] }[];
	const confirm = rows[0]?.components.find((button) => button.label === 'Delete')?.custom_id ?? '';
	const stranger = await pressButton(world, { customId: confirm, messageId: asked.reply.id, userId: '100000000000009999' });
	expect(JSON.stringify(stranger.callback.data)).toContain('Only the owner');
	expect(await order()).toEqual(['1:three', '2:one', '3:two']);
	const pressed = await pressButton(world, { customId: confirm, messageId: asked.reply.id, userId: setup.userId });
	expect(pressed.callback.type).toBe(7);
	expect(JSON.stringify(pressed.callback.data)).toContain('Deleted panel 2');
	expect(await order()).toEqual(['1:three', '2:two']);
	const again = await pressButton(world, { customId: confirm, messageId: asked.reply.id, userId: setup.userId });
	expect(JSON.stringify(again.callback.data)).toContain('no longer exists');
});

test('a story’s panels keep the plan’s words in the panel’s columns and are lettered in the story message', async () => {
	const cast = await projectWithCast(world, [{ name: 'Nova', word: 'novachar' }]);
	scriptPlanner(world.openai, () =>
		planJson([
			{ description: 'letteredA Nova on a pier', characters: ['Nova'], caption: 'Dawn.', dialogue: 'Nova: Here we go!' },
			{ description: 'letteredB the sea, empty', characters: [] },
		]),
	);
	const sent = await world.command({ userId: cast.userId, subcommand: 'story', options: { project: cast.project, story: 'Nova sets sail' } });
	const planned = await world.waitForOriginal(sent.id, (message) => message.content.includes('Story plan'), 15_000);
	const pressed = await pressStory(world, planned, 'Draw all', cast.userId);
	const message = await world.discord.waitFor(() => {
		const found = storyMessage(world, pressed.id);
		return found?.content.includes('Story finished: 2 of 2 drawn') ? found : undefined;
	}, 30_000);
	const first = await db().panel.findFirstOrThrow({ where: { prompt: { startsWith: 'letteredA' } } });
	expect([first.caption, first.dialogue]).toEqual(['Dawn.', 'Nova: Here we go!']);
	const storyTakes = () => db().take.findMany({ where: { panel: { prompt: { startsWith: 'lettered' } } }, include: { panel: { select: { prompt: true } } } });
	// The story message may be edited a moment before the panel's own delivery records its lettered file.
	await waitFor(
		async () => (await storyTakes()).some((take) => take.letteredPath !== null),
		10_000,
		() => 'no take was lettered',
	);
	const takes = await storyTakes();
	expect(takes.map((take) => [take.panel.prompt.slice(0, 9), take.letteredPath !== null]).sort()).toEqual([
		['letteredA', true],
		['letteredB', false],
	]);
	const lettered = takes.find((take) => take.letteredPath);
	const plain = await readFile(join(world.config.DATA_DIR, 'panels', lettered?.imagePath ?? ''));
	// Two panels finishing together: the other one's edit may show this one an instant before it is lettered;
	// its own edit follows and the message ends showing the lettered picture.
	const filename = `story-panel-${first.number}.png`;
	let shown = message.attachments.find((attachment) => attachment.filename === filename);
	await waitFor(
		async () => {
			shown = storyMessage(world, pressed.id)?.attachments.find((attachment) => attachment.filename === filename);
			return shown !== undefined && (await differingPixels(plain, shown.data)) > 1_000;
		},
		10_000,
		() => `the story message never showed panel ${first.number} lettered`,
	);
	if (!shown) throw new Error(`no lettered picture of panel ${first.number}`);
	expect(await differingPixels(plain, shown.data)).toBeGreaterThan(1_000);
});
