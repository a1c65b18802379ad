// `/comic panel follow:` (issue 21): a ready panel's chosen take goes in after the characters' reference
// pictures ("same place, next moment"), kept on the panel so Redraw follows it too; story panels drawn from
// pictures follow their previous panel. Refusals in plain words, nothing stored.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { z } from 'zod';
import { waitFor } from '../process.ts';
import { autocompleteChoices, startWorld, type World } from '../world.ts';
import { answerOf, buttonsOf, press, readyPanel } from './support/actions.ts';
import { newUserId, projectWithCharacter, submittedInput } from './support/panels.ts';
import { attachment, projectWithPictureCharacters } from './support/pictures.ts';
import { planJson, press as pressStory, scriptPlanner } from './support/story.ts';

let world: World;
const ADMIN = (2248473465835073n | 0x20n).toString();
beforeAll(async () => {
	world = await startWorld({ MAX_PANELS_IN_FLIGHT_PER_USER: '2' });
	// Drawn at once: the confirmation above confirm_above has its own tests.
	const set = await world.command({ memberPermissions: ADMIN, subcommand: 'settings', options: { confirm_above: 100_000 } });
	if (!(await world.waitForOriginal(set.id, (message) => message.content.length > 0)).content.includes('100000 Buzz')) throw new Error('confirm_above not set');
});
afterAll(async () => {
	await world?.close();
});

const db = () => world.bot.database.db;
const imagesOf = (body: unknown) => z.array(z.string()).parse(submittedInput(body).images);
/** The last real submission (not a whatif) whose body contains `marker`. */
const submissionWith = (marker: string) =>
	world.orchestrator.submissions.filter((submission) => submission.query.get('whatif') !== 'true' && JSON.stringify(submission.body).includes(marker)).at(-1);

async function chosenBytes(panelId: string): Promise<{ id: string; bytes: Buffer }> {
	const take = await db().take.findFirstOrThrow({ where: { panelId, chosen: true } });
	return { id: take.id, bytes: await readFile(join(world.config.DATA_DIR, 'panels', take.imagePath)) };
}

function draw(
	userId: string,
	project: string,
	prompt: string,
	extra: Record<string, string | number | boolean> = {},
	channel: { channelId?: string; channelNsfw?: boolean } = {},
) {
	return world.discord.sendCommand({ userId, ...channel, subcommand: 'panel', options: { project, prompt, enhance: false, ...extra } });
}

async function drawReady(
	userId: string,
	project: string,
	prompt: string,
	extra: Record<string, string | number | boolean> = {},
	channel: { channelId?: string; channelNsfw?: boolean } = {},
) {
	const sent = draw(userId, project, prompt, extra, channel);
	const message = await world.waitForOriginal(sent.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
	return { id: sent.id, message, drawing: await db().drawing.findFirstOrThrow({ where: { interactionId: sent.id } }) };
}

/** Asks for a panel and returns the private refusal it got. */
async function refusalOf(userId: string, project: string, prompt: string, extra: Record<string, string | number | boolean>) {
	const sent = draw(userId, project, prompt, extra);
	const answer = await answerOf(world, sent.id);
	expect(answer.ephemeral).toBe(true);
	return answer.content;
}

test("follow: the earlier panel's chosen take goes in after the character's reference; Redraw follows it again; Details says so", async () => {
	const setup = await projectWithPictureCharacters(world, { Mira: '#cc3333' });
	const first = await drawReady(setup.userId, setup.project, '@Mira at the harbour [f1]');
	const [referenceUrl] = imagesOf(submissionWith('[f1]')?.body);
	const referenceBlob = new URL(referenceUrl ?? 'http://none/').pathname;
	const take = await chosenBytes(first.drawing.panelId);

	const uploadsBefore = world.orchestrator.uploads.length;
	const second = await drawReady(setup.userId, setup.project, '@Mira boards the ship [f2]', { follow: 1 });
	const uploads = world.orchestrator.uploads.slice(uploadsBefore);
	expect(uploads).toHaveLength(1);
	expect(uploads[0]?.bytes.equals(take.bytes)).toBe(true);
	const body = submissionWith('[f2]')?.body;
	// Mira's reference first (kept, not uploaded again), then panel 1's picture.
	expect(imagesOf(body)).toEqual([expect.stringContaining(referenceBlob), expect.stringContaining(uploads[0]?.blobId ?? '?')]);
	expect(String(submittedInput(body).prompt)).toMatch(/^Comic panel with Mira \(image 1: Mira the hero\)\..*Image 2 is the previous panel \(panel 1\)/);
	const panel = await db().panel.findUniqueOrThrow({ where: { id: second.drawing.panelId } });
	expect(panel.followPanelId).toBe(first.drawing.panelId);
	expect((await db().drawing.findUniqueOrThrow({ where: { id: second.drawing.id } })).followTakeId).toBe(take.id);

	const details = await press(world, second.message, 'Details', setup.userId);
	const detailsText = JSON.stringify(details.callback.data);
	expect(detailsText).toContain("panel 1's picture (take 1), after the characters' pictures");
	expect(detailsText).toContain('1 picture of the characters, in order, then the followed panel');

	// Redraw: the same panel, following panel 1 again (its picture uploaded again, after the reference).
	const redraw = await press(world, second.message, 'Redraw', setup.userId);
	await world.waitForOriginal(redraw.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
	const redrawn = await db().drawing.findFirstOrThrow({ where: { interactionId: redraw.id } });
	expect(redrawn.followTakeId).toBe(take.id);
	const redrawBody = world.orchestrator.workflows.get(redrawn.workflowId ?? '')?.body;
	expect(imagesOf(redrawBody)).toEqual([expect.stringContaining(referenceBlob), expect.stringContaining(world.orchestrator.uploads.at(-1)?.blobId ?? '?')]);
	expect(world.orchestrator.uploads.at(-1)?.bytes.equals(take.bytes)).toBe(true);
});

test('follow is refused in plain words, with nothing stored: no such panel, a panel without a picture, a mature picture outside an age-restricted channel, a panel of another project, a LoRA panel, an engine without room', async () => {
	const setup = await projectWithPictureCharacters(world, { Ivo: '#3366cc', Uma: '#33cc66', Zed: '#cccc33' });
	await drawReady(setup.userId, setup.project, '@Ivo in the square [r1]');
	const previous = world.orchestrator.behaviour;
	world.orchestrator.behaviour = (body, id) => (JSON.stringify(body).includes('[fails]') ? { outcome: 'failed' } : previous(body, id));
	try {
		const failed = draw(setup.userId, setup.project, '@Ivo slips [fails]');
		await waitFor(
			async () => (await db().drawing.findFirst({ where: { interactionId: failed.id } }))?.status === 'failed',
			20_000,
			() => 'panel 2 did not fail',
		);
	} finally {
		world.orchestrator.behaviour = previous;
	}
	// Panel 3: drawn in an age-restricted channel and rated X, so its picture shows only there.
	const restricted = { channelId: '300000000000000431', channelNsfw: true };
	world.orchestrator.behaviour = (body, id) => (JSON.stringify(body).includes('[xx]') ? { ...previous(body, id), nsfwLevel: 'X' } : previous(body, id));
	try {
		await drawReady(setup.userId, setup.project, '@Ivo at night [xx]', {}, restricted);
	} finally {
		world.orchestrator.behaviour = previous;
	}
	const panels = () => db().panel.count({ where: { ownerId: setup.userId } });
	const before = await panels();
	expect(await refusalOf(setup.userId, setup.project, '@Ivo runs', { follow: 9 })).toContain('has no panel 9 to follow');
	expect(await refusalOf(setup.userId, setup.project, '@Ivo runs', { follow: 2 })).toContain('Panel 2 has no picture yet');
	expect(await refusalOf(setup.userId, setup.project, '@Ivo runs', { follow: 3 })).toContain("Panel 3's picture is shown only in age-restricted channels");

	// Another project of the same user: its panel 1 is not this project's.
	const other = 'Other place';
	await world.command({ userId: setup.userId, group: 'project', subcommand: 'create', options: { name: other } });
	const added = await world.command({
		userId: setup.userId,
		group: 'character',
		subcommand: 'add',
		options: { project: other, name: 'Ivo' },
		attachments: { image: await attachment('#3366cc') },
	});
	await world.waitForOriginal(added.id, (message) => message.content.includes('Added'));
	expect(await refusalOf(setup.userId, other, '@Ivo runs', { follow: 1 })).toContain('has no panel 1 to follow');

	// Qwen takes 3 pictures: three characters and the followed panel are four.
	await world.command({ userId: setup.userId, group: 'project', subcommand: 'edit', options: { project: setup.project, engine: 'qwen' } });
	expect(await refusalOf(setup.userId, setup.project, '@Ivo @Uma @Zed meet', { follow: 1 })).toMatch(
		/takes at most 3 pictures per panel: 3 for the characters and one for panel 1/,
	);
	expect(await panels()).toBe(before);

	// A LoRA panel: its checkpoint takes no pictures; refused rather than switched to another engine.
	const lora = await projectWithCharacter(world);
	await readyPanel(world, lora, 'a quiet street');
	const refusal = await refusalOf(lora.userId, lora.project, 'the same street at night', { follow: 1 });
	expect(refusal).toContain('drawn with a LoRA on its checkpoint, which takes no pictures');
	expect(await db().panel.count({ where: { ownerId: lora.userId } })).toBe(1);
});

test("the follow option's autocomplete lists the project's ready panels with their prompts, to their owner only", async () => {
	const setup = await projectWithPictureCharacters(world, { Lia: '#aa66aa' });
	await drawReady(setup.userId, setup.project, '@Lia opens the door [a1]');
	const previous = world.orchestrator.behaviour;
	world.orchestrator.behaviour = (body, id) => (JSON.stringify(body).includes('[fails]') ? { outcome: 'failed' } : previous(body, id));
	try {
		const failed = draw(setup.userId, setup.project, '@Lia falls [fails]');
		await waitFor(
			async () => (await db().drawing.findFirst({ where: { interactionId: failed.id } }))?.status === 'failed',
			20_000,
			() => 'panel 2 did not fail',
		);
	} finally {
		world.orchestrator.behaviour = previous;
	}
	await drawReady(setup.userId, setup.project, '@Lia looks back [a3]');
	const input = { subcommand: 'panel', focused: 'follow', options: { project: setup.project, prompt: 'x', follow: '' } };
	expect(await autocompleteChoices(world, { ...input, userId: setup.userId })).toEqual([
		{ name: '1. @Lia opens the door [a1]', value: '1' },
		{ name: '3. @Lia looks back [a3]', value: '3' },
	]);
	expect(await autocompleteChoices(world, { ...input, userId: newUserId() })).toEqual([]);
});

test('story panels drawn from pictures follow their previous panel: each waits for its picture and sends it after the references', async () => {
	const setup = await projectWithPictureCharacters(world, { Nova: '#2288aa' });
	scriptPlanner(world.openai, () =>
		planJson([
			{ description: 'storyA Nova finds a map', characters: ['Nova'] },
			{ description: 'storyB Nova reads the map', characters: ['Nova'] },
			{ description: 'storyC Nova runs outside', characters: ['Nova'] },
		]),
	);
	const planned = await world.command({ userId: setup.userId, subcommand: 'story', options: { project: setup.project, story: 'Nova and a map', panels: 3 } });
	const plan = await world.waitForOriginal(planned.id, (message) => message.content.includes('Story plan'), 15_000);
	await pressStory(world, plan, 'Draw all', setup.userId);
	await waitFor(
		async () => (await db().drawing.count({ where: { ownerId: setup.userId, status: 'ready', delivery: 'delivered' } })) === 3,
		60_000,
		() => 'the story was not drawn',
	);
	const panels = await db().panel.findMany({ where: { ownerId: setup.userId }, orderBy: { number: 'asc' }, include: { drawings: true } });
	expect(panels).toHaveLength(3);
	const [first, second, third] = panels;
	// Two slots: panel 2 started with panel 1 and waited for its picture before its request was built.
	expect(first?.drawings[0]?.followTakeId).toBeNull();
	for (const [previous, panel] of [
		[first, second],
		[second, third],
	] as const) {
		const take = await chosenBytes(previous?.id ?? '');
		const drawing = panel?.drawings[0];
		expect(drawing?.followTakeId).toBe(take.id);
		const body = world.orchestrator.workflows.get(drawing?.workflowId ?? '')?.body;
		const images = imagesOf(body);
		expect(images).toHaveLength(2);
		const upload = world.orchestrator.uploads.find((each) => images[1]?.includes(each.blobId));
		expect(upload?.bytes.equals(take.bytes)).toBe(true);
		expect(String(submittedInput(body).prompt)).toContain(`Image 2 is the previous panel (panel ${previous?.number})`);
		// Its workflow was submitted after the previous panel's picture was kept.
		const previousTake = await db().take.findUniqueOrThrow({ where: { id: take.id } });
		expect((drawing?.submittedAt?.getTime() ?? 0) >= previousTake.createdAt.getTime()).toBe(true);
	}
});
