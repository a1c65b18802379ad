// The newer families end to end against the fakes: a character of each, a panel drawn with the step
// and checkpoint Civitai's generator uses for it (textToImage or imageGen), lettered, Details naming
// the checkpoint, a Redraw and an Edit drawn the same way, each exactly once; a story's estimate and
// panels; mixed families and video or LoRA-less base models refused in plain words.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BaseModelGroup, GENERATION_DEFAULTS } from '../../src/comic/baseModels.ts';
import { waitFor } from '../process.ts';
import { modelVersion } from '../fakes/civitai.ts';
import { startWorld, type World } from '../world.ts';
import { answerOf, buttonsOf, labelsOf, press, textOf } from './support/actions.ts';
import { projectWithCast } from './support/cast.ts';
import { differingPixels, drawRealPictures } from './support/comic.ts';
import { drawPanel, expectNoPings, newUserId, projectWithCharacter, waitForFailure, waitForPanel } from './support/panels.ts';
import { planJson, press as pressStory, scriptPlanner } from './support/story.ts';

let world: World;
let picture: Buffer;
beforeAll(async () => {
	world = await startWorld({ MAX_PANELS_IN_FLIGHT_PER_USER: '5', MAX_PANELS_PER_USER_PER_DAY: '50' });
	picture = await drawRealPictures(world);
	// A prompt saying "rated x" gets an image the orchestrator rates X.
	world.orchestrator.behaviour = (body) => ({
		durationMs: 30,
		outcome: 'succeeded',
		image: picture,
		...(JSON.stringify(body).includes('rated x') ? { nsfwLevel: 'x' } : {}),
	});
});
afterAll(async () => {
	await world?.close();
});

const db = () => world.bot.database.db;

/** The first step of a workflow the fake orchestrator created. */
function stepOf(workflowId: string | null): { $type: string; input: Record<string, unknown> } {
	const body = world.orchestrator.workflows.get(workflowId ?? '')?.body;
	const [step] = (body?.steps ?? []) as { $type: string; input: Record<string, unknown> }[];
	if (!step) throw new Error(`no workflow ${workflowId}`);
	return step;
}

/** The setting each family's step must show: textToImage its checkpoint, imageGen its engine fields. */
function expectFamilyStep(step: { $type: string; input: Record<string, unknown> }, group: BaseModelGroup, air: string, strength: number) {
	const family = GENERATION_DEFAULTS[group];
	if (family.step === 'textToImage') {
		expect(step.$type).toBe('textToImage');
		expect(step.input).toMatchObject({ model: family.checkpoint, steps: family.steps, cfgScale: family.cfgScale, width: family.width, height: family.height });
		expect(step.input.additionalNetworks).toEqual({ [air]: { strength, ...('loraType' in family ? { type: family.loraType } : {}) } });
	} else {
		expect(step.$type).toBe('imageGen');
		expect(step.input).toMatchObject({ ...family.step.fields, width: family.width, height: family.height });
		expect(step.input.loras).toEqual(family.step.loras === 'list' ? [{ air, strength }] : { [air]: strength });
		expect(step.input).not.toHaveProperty('additionalNetworks');
		expect(step.input).not.toHaveProperty('family');
	}
}

/** Workflows the fake orchestrator created for one character (its AIR is in the body): tests run at once, each counts its own. */
function workflowsWith(air: string): number {
	return [...world.orchestrator.workflows.values()].filter((workflow) => JSON.stringify(workflow.body).includes(JSON.stringify(air))).length;
}

// The families' panels are independent (a user, project and character each), so they are drawn at once: the file
// waits on one orchestrator round trip at a time instead of one per family.
test.concurrent.each([
	['Chroma', 'Chroma'],
	['Pony V7', 'PonyV7'],
	['ZImageTurbo', 'ZImageTurbo'],
	['Flux.2 D', 'Flux2'],
	['Flux.2 Klein 9B', 'Flux2Klein9B'],
	['Qwen', 'Qwen'],
	['Anima', 'Anima'],
] as const)(
	'a %s LoRA: the panel is drawn and lettered, Details names the checkpoint, Redraw and Edit draw the same way, once each',
	async (baseModel, group) => {
		const family = GENERATION_DEFAULTS[group];
		const setup = await projectWithCharacter(world, { version: { baseModel, trainedWords: ['famchar'] } });
		const character = await db().character.findFirstOrThrow({ where: { project: { name: setup.project } } });
		expect(workflowsWith(character.air)).toBe(0);

		const sent = world.discord.sendCommand({
			userId: setup.userId,
			subcommand: 'panel',
			options: { project: setup.project, prompt: 'a lantern in the fog', enhance: false, caption: 'Night fell.', dialogue: 'Hero: Who goes there?' },
		});
		const message = await world.waitForOriginal(sent.id, (original) => original.attachments.length === 1 && buttonsOf(original).length > 0, 20_000);
		const first = await waitForPanel(world, sent.id, (drawing) => drawing.status === 'ready' && drawing.delivery === 'delivered');
		expect(workflowsWith(character.air)).toBe(1);
		const firstStep = stepOf(first.workflowId);
		expectFamilyStep(firstStep, group, character.air, 1);
		expect(JSON.stringify(firstStep.input)).toContain('famchar, a lantern in the fog');
		// Lettered: the caption box changed the top of the picture the message shows; the drawn one is kept plain.
		const take = await db().take.findFirstOrThrow({ where: { drawingId: first.id, chosen: true } });
		const plain = await readFile(join(world.config.DATA_DIR, 'panels', take.imagePath));
		const [attachment] = message.attachments;
		if (!attachment) throw new Error('no attachment');
		expect(await differingPixels(plain, attachment.data, { left: 0, top: 0, width: 832, height: 200 })).toBeGreaterThan(5_000);

		const details = await press(world, message, 'Details', setup.userId);
		const shown = await answerOf(world, details.id);
		expect(shown.ephemeral).toBe(true);
		for (const expected of [family.checkpoint, `${family.width} x ${family.height}`, String(family.steps), character.air, first.workflowId ?? 'missing'])
			expect(textOf(shown)).toContain(expected);

		const redraw = await press(world, message, 'Redraw', setup.userId);
		await world.waitForOriginal(redraw.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
		const second = await waitForPanel(world, redraw.id, (drawing) => drawing.status === 'ready' && drawing.delivery === 'delivered');
		expect(second.panelId).toBe(first.panelId);
		const secondStep = stepOf(second.workflowId);
		expectFamilyStep(secondStep, group, character.air, 1);
		expect(secondStep.input.seed).not.toBe(firstStep.input.seed);

		const edit = await press(world, message, 'Edit', setup.userId);
		const customId = String((edit.callback.data as { custom_id: string }).custom_id);
		const edited = world.discord.sendModalSubmit({ customId, fields: { prompt: 'a lantern on the pier' }, userId: setup.userId });
		await world.waitForOriginal(edited.id, (reply) => reply.attachments.length === 1, 20_000);
		const third = await waitForPanel(world, edited.id, (drawing) => drawing.status === 'ready' && drawing.delivery === 'delivered');
		const thirdStep = stepOf(third.workflowId);
		expectFamilyStep(thirdStep, group, character.air, 1);
		expect(JSON.stringify(thirdStep.input)).toContain('famchar, a lantern on the pier');
		// Three drawings, three workflows: none submitted twice.
		expect(workflowsWith(character.air)).toBe(3);
		expectNoPings(world.discord);
	},
	60_000,
);

test.concurrent('an imageGen family keeps takes, channel safety and export', async () => {
	const setup = await projectWithCharacter(world, { version: { baseModel: 'Ernie', trainedWords: ['erniechar'] } });
	const two = world.discord.sendCommand({
		userId: setup.userId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: 'two takes', enhance: false, takes: 2 },
	});
	const message = await world.waitForOriginal(two.id, (original) => original.attachments.length === 2 && buttonsOf(original).length > 0, 20_000);
	const drawn = await waitForPanel(world, two.id, (drawing) => drawing.status === 'ready');
	expect(stepOf(drawn.workflowId)).toMatchObject({ $type: 'imageGen', input: { engine: 'comfy', ecosystem: 'ernie', quantity: 2 } });
	expect(labelsOf(message).join(' | ')).toMatch(/Use 1.*Use 2/);
	expect(world.orchestrator.workflows.get(drawn.workflowId ?? '')?.body.allowMatureContent).toBe(false);

	// Outside an age-restricted channel an image rated X is withheld; inside one it is posted, mature content allowed.
	const withheld = drawPanel(world, setup, 'the beach, rated x');
	expect((await waitForFailure(world, withheld.id)).footer).toContain('withheld');
	const allowed = drawPanel(world, setup, 'the club, rated x', { channelId: '300000000000000099', channelNsfw: true });
	await world.waitForOriginal(allowed.id, (original) => original.attachments.length === 1, 20_000);
	const mature = await waitForPanel(world, allowed.id, (drawing) => drawing.workflowId !== null);
	expect(world.orchestrator.workflows.get(mature.workflowId ?? '')?.body.allowMatureContent).toBe(true);

	// The drawn panels export like any other.
	const exported = await world.command({ userId: setup.userId, subcommand: 'export', options: { project: setup.project, layout: 'page', format: 'png' } });
	const first = await world.waitForOriginal(exported.id, (reply) => reply.attachments.length > 0 || reply.content !== '', 30_000);
	expect(first.attachments.length).toBeGreaterThan(0);
}, 60_000);

test('a story of Z-Image Turbo characters is estimated and drawn with imageGen steps', async () => {
	const cast = await projectWithCast(world, [
		{ name: 'Zed', word: 'zedchar', baseModel: 'ZImageTurbo', strength: 0.7 },
		{ name: 'Ola', word: 'olachar', baseModel: 'ZImageTurbo' },
	]);
	scriptPlanner(world.openai, () =>
		planJson([
			{ description: 'famstoryA Zed opens the door', characters: ['Zed'] },
			{ description: 'famstoryB Zed and Ola run', characters: ['Zed', 'Ola'], caption: 'Run!' },
		]),
	);
	const before = world.orchestrator.submissions.length;
	const sent = await world.command({ userId: cast.userId, subcommand: 'story', options: { project: cast.project, story: 'Zed and Ola escape' } });
	const planned = await world.waitForOriginal(sent.id, (message) => message.content.includes('Story plan'), 15_000);
	const whatif = world.orchestrator.submissions.slice(before).find((submission) => submission.query.get('whatif') === 'true');
	if (!whatif) throw new Error('no estimate was asked for');
	const [estimated] = (whatif.body as { steps: { $type: string; input: Record<string, unknown> }[] }).steps;
	expect(estimated?.$type).toBe('imageGen');
	expect(estimated?.input).toMatchObject({ engine: 'sdcpp', ecosystem: 'zImage', model: 'turbo' });

	await pressStory(world, planned, 'Draw all', cast.userId);
	await waitFor(
		async () => (await db().drawing.count({ where: { ownerId: cast.userId, status: 'ready', delivery: 'delivered' } })) === 2,
		30_000,
		() => 'the story was not drawn',
	);
	const drawings = await db().drawing.findMany({ where: { ownerId: cast.userId }, orderBy: { createdAt: 'asc' } });
	const steps = drawings.map((drawing) => stepOf(drawing.workflowId));
	for (const step of steps) expect(step.$type).toBe('imageGen');
	const [zed, ola] = cast.members;
	expect(steps[1]?.input.loras).toEqual({ [zed?.air ?? '']: 0.7, [ola?.air ?? '']: 1 });
}, 60_000);

test('@mentions of two families in one panel are refused naming both families; nothing is drawn', async () => {
	const cast = await projectWithCast(world, [
		{ name: 'Kai', word: 'kaichar', baseModel: 'Chroma' },
		{ name: 'Lu', word: 'luchar', baseModel: 'Flux.2 Klein 9B' },
		{ name: 'Mo', word: 'mochar', baseModel: 'Flux.2 Klein 9B-base' },
	]);
	const before = world.orchestrator.submissions.length;
	for (const [prompt, families] of [
		['@Kai meets @Lu', ['Chroma', 'Flux.2 Klein 9B']],
		// Klein 9B and its base are two checkpoints: one panel cannot hold both.
		['@Lu meets @Mo', ['Flux.2 Klein 9B', 'Flux.2 Klein 9B Base']],
	] as const) {
		const mixed = await world.command({ userId: cast.userId, subcommand: 'panel', options: { project: cast.project, prompt, enhance: false } });
		expect(mixed.reply.ephemeral).toBe(true);
		for (const name of families) expect(mixed.reply.content).toContain(name);
		expect(mixed.reply.content).toContain('separate panels');
	}
	expect(world.orchestrator.submissions.length).toBe(before);
});

test('a video LoRA or one of a family Civitai draws without LoRAs is refused naming its base model; nothing is stored', async () => {
	const userId = newUserId();
	const project = `Refusals ${userId.slice(-6)}`;
	await world.command({ userId, group: 'project', subcommand: 'create', options: { name: project } });
	for (const [baseModel, words] of [
		['Wan Video 2.2 T2V-A14B', 'video'],
		['Hunyuan Video', 'video'],
		['LTXV2', 'video'],
		['Qwen 2', 'cannot draw with'],
		['Flux.1 Kontext', 'cannot draw with'],
		['SD 2.1', 'cannot draw with'],
	] as const) {
		const version = modelVersion({ baseModel, model: { name: `${baseModel} hero` } });
		world.civitai.addModelVersion(version);
		const added = await world.command({ userId, group: 'character', subcommand: 'add', options: { project, model: String(version.id) } });
		const reply = await world.waitForOriginal(added.id, (message) => message.content !== '');
		expect(reply.ephemeral).toBe(true);
		expect(reply.content).toContain(`**${baseModel}**`);
		expect(reply.content).toContain(words);
		expect(reply.content).toContain('Z-Image Turbo');
	}
	expect(await db().character.count({ where: { project: { name: project } } })).toBe(0);
});
