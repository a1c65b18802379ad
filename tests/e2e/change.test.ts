// Change (issue 21): a ready panel's picture redrawn by an edit engine from an instruction, as a new
// drawing of the same panel; History: every take of the panel, privately, and any of them made its picture again.
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { z } from 'zod';
import type { FakeMessage } from '../fakes/discord.ts';
import { pressButton, startWorld, type World } from '../world.ts';
import { answerOf, buttonOf, buttonsOf, labelsOf, press, readyPanel, textOf } from './support/actions.ts';
import { expectNoPings, newUserId, projectWithCharacter, submittedInput, waitForFailure } from './support/panels.ts';
import { projectWithPictureCharacters } from './support/pictures.ts';

let world: World;
const ADMIN = (2248473465835073n | 0x20n).toString();
beforeAll(async () => {
	world = await startWorld();
	// Drawn at once: the default server asks above 100000 Buzz (confirm_above has its own tests).
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

/** Presses Change on `message` and submits its modal with `instruction`; the interaction of the submit. */
async function change(message: FakeMessage, userId: string, instruction: string): Promise<{ id: string }> {
	const pressed = await press(world, message, 'Change', userId);
	expect(pressed.callback.type).toBe(9);
	const modal = JSON.stringify(pressed.callback.data);
	expect(modal).toContain('"custom_id":"instruction"');
	const customId = String((pressed.callback.data as { custom_id: string }).custom_id);
	return world.discord.sendModalSubmit({ customId, fields: { instruction }, userId, messageId: message.id });
}

/** The bytes of the panel's chosen take, as stored. */
async function chosenBytes(panelId: string): Promise<{ id: string; bytes: Buffer }> {
	const take = await db().take.findFirstOrThrow({ where: { panelId, chosen: true } });
	return { id: take.id, bytes: await readFile(join(world.config.DATA_DIR, 'panels', take.imagePath)) };
}

test('Change on a LoRA panel: a new public message drawn by nano-banana-2 with the chosen take as the only image and the instruction as prompt; Details says so; the ledger counts a change', async () => {
	const setup = await projectWithCharacter(world);
	const { id, message } = await readyPanel(world, setup, 'a quiet harbour');
	expect(labelsOf(message).join(' | ')).toMatch(/Redraw.*Edit.*Change.*Details.*Delete.*History/);
	const first = await db().drawing.findFirstOrThrow({ where: { interactionId: id } });
	const take = await chosenBytes(first.panelId);
	const uploadsBefore = world.orchestrator.uploads.length;

	const submitted = await change(message, setup.userId, 'make it night');
	const changed = await world.waitForOriginal(submitted.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
	expect(changed.id).not.toBe(message.id);
	expect(changed.ephemeral).toBe(false);

	const step = stepOf(world.orchestrator.submissions.at(-1)?.body);
	expect(step.$type).toBe('imageGen');
	expect(step.input).toMatchObject({ engine: 'google', model: 'nano-banana-2', prompt: 'make it night' });
	const uploads = world.orchestrator.uploads.slice(uploadsBefore);
	expect(uploads).toHaveLength(1);
	expect(uploads[0]?.bytes.equals(take.bytes)).toBe(true);
	expect(step.input.images).toEqual([expect.stringContaining(uploads[0]?.blobId ?? '?')]);

	const drawing = await db().drawing.findFirstOrThrow({ where: { interactionId: submitted.id } });
	expect(drawing).toMatchObject({ panelId: first.panelId, changeInstruction: 'make it night', changeTakeId: take.id, engine: 'nano-banana-2' });
	const entry = await db().usageEntry.findFirstOrThrow({ where: { drawingId: drawing.id } });
	expect(entry.kind).toBe('change');
	// nano-banana-2's reservation (104 a picture), not a LoRA picture's.
	expect(entry.buzzEstimated).toBe(104);
	// The new drawing's take is the panel's picture; the old one is kept.
	expect((await db().take.findFirstOrThrow({ where: { panelId: first.panelId, chosen: true } })).drawingId).toBe(drawing.id);
	expect(await db().take.count({ where: { panelId: first.panelId } })).toBe(2);

	const details = await press(world, changed, 'Details', setup.userId);
	const detailsText = JSON.stringify(details.callback.data);
	expect(detailsText).toContain('A change of the panel');
	expect(detailsText).toContain('make it night');
	expectNoPings(world.discord);
});

test("Change on a picture panel: the chosen take first, then the character's reference picture; an empty instruction is refused and stores nothing", async () => {
	const setup = await projectWithPictureCharacters(world, { Mira: '#cc3333' });
	const sent = world.discord.sendCommand({
		userId: setup.userId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: '@Mira on a rooftop', enhance: false },
	});
	const ready = await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1 && buttonsOf(message).length > 0, 20_000);
	const first = await db().drawing.findFirstOrThrow({ where: { interactionId: sent.id } });
	const [referenceUrl] = z.array(z.string()).parse(stepOf(world.orchestrator.submissions.at(-1)?.body).input.images);
	const referenceBlob = new URL(referenceUrl ?? 'http://none/').pathname;
	const take = await chosenBytes(first.panelId);

	const empty = await change(ready, setup.userId, '   ');
	const refusal = await answerOf(world, empty.id);
	expect(refusal.ephemeral).toBe(true);
	expect(refusal.content).toContain('Say what should change');
	expect(await db().drawing.count({ where: { panelId: first.panelId } })).toBe(1);

	const uploadsBefore = world.orchestrator.uploads.length;
	const submitted = await change(ready, setup.userId, 'she holds an umbrella');
	await world.waitForOriginal(submitted.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
	const step = stepOf(world.orchestrator.submissions.at(-1)?.body);
	expect(step.input).toMatchObject({ model: 'nano-banana-2', prompt: 'she holds an umbrella' });
	const uploads = world.orchestrator.uploads.slice(uploadsBefore);
	expect(uploads).toHaveLength(1);
	expect(uploads[0]?.bytes.equals(take.bytes)).toBe(true);
	// The take first, then Mira's reference (the same blob, not uploaded again).
	expect(step.input.images).toEqual([expect.stringContaining(uploads[0]?.blobId ?? '?'), expect.stringContaining(referenceBlob)]);
	expect(referenceBlob).toMatch(/^\/blobs\/blob_/);
});

test('a Change whose picture this host no longer has fetches it again from its workflow', async () => {
	const setup = await projectWithCharacter(world);
	const { id, message } = await readyPanel(world, setup, 'a windmill');
	const first = await db().drawing.findFirstOrThrow({ where: { interactionId: id } });
	const take = await chosenBytes(first.panelId);
	const row = await db().take.findUniqueOrThrow({ where: { id: take.id } });
	await unlink(join(world.config.DATA_DIR, 'panels', row.imagePath));
	const uploadsBefore = world.orchestrator.uploads.length;
	const submitted = await change(message, setup.userId, 'paint it blue');
	await world.waitForOriginal(submitted.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
	const uploads = world.orchestrator.uploads.slice(uploadsBefore);
	expect(uploads).toHaveLength(1);
	expect(uploads[0]?.bytes.equals(take.bytes)).toBe(true);
});

test('a Change whose picture the blob store refuses (moderation) says so in its message and spends nothing', async () => {
	const setup = await projectWithCharacter(world);
	const { id, message } = await readyPanel(world, setup, 'a busy market');
	const first = await db().drawing.findFirstOrThrow({ where: { interactionId: id } });
	const take = await chosenBytes(first.panelId);
	const submissions = world.orchestrator.submissions.length;
	world.orchestrator.refuseBlob = (bytes) => bytes.equals(take.bytes);
	try {
		const submitted = await change(message, setup.userId, 'add snow');
		const failed = await waitForFailure(world, submitted.id, 20_000);
		expect(failed.footer + textOf(failed.message)).toContain("refused the panel's picture");
	} finally {
		world.orchestrator.refuseBlob = () => false;
	}
	expect(world.orchestrator.submissions.length).toBe(submissions);
	// The panel's picture is still the old take.
	expect((await db().take.findFirstOrThrow({ where: { panelId: first.panelId, chosen: true } })).id).toBe(take.id);
});

test('History after a Redraw and a Change: every take, how it was made, a contact sheet; Use makes an old take the picture again', async () => {
	const setup = await projectWithCharacter(world);
	const { id, message } = await readyPanel(world, setup, 'a lighthouse');
	const first = await db().drawing.findFirstOrThrow({ where: { interactionId: id } });
	const redraw = await press(world, message, 'Redraw', setup.userId);
	const redrawn = await world.waitForOriginal(redraw.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
	const submitted = await change(redrawn, setup.userId, 'add a storm');
	const changed = await world.waitForOriginal(submitted.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
	const changeDrawing = await db().drawing.findFirstOrThrow({ where: { interactionId: submitted.id } });
	const redrawDrawing = await db().drawing.findFirstOrThrow({ where: { interactionId: redraw.id } });
	// The change was made from the redraw's take (the panel's picture then).
	expect(changeDrawing.changeTakeId).toBe((await db().take.findFirstOrThrow({ where: { drawingId: redrawDrawing.id } })).id);

	const history = await press(world, changed, 'History', setup.userId);
	expect(history.callback.type).toBe(5);
	const sheet = await world.waitForOriginal(history.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
	expect(sheet.ephemeral).toBe(true);
	expect(sheet.content).toContain('History of panel');
	expect(sheet.content).toMatch(/1\.\*\* drawn[\s\S]*2\.\*\* redraw[\s\S]*3\.\*\* ✓ the picture · change: “add a storm”/);
	expect(labelsOf(sheet)).toEqual(['Use 1', 'Use 2', '✓ 3']);

	// Someone else cannot use the owner's History buttons.
	const stranger = await pressButton(world, { customId: buttonOf(sheet, 'Use 1').customId, messageId: sheet.id, userId: newUserId() });
	expect(stranger.callback.type).toBe(4);
	expect((await db().take.findFirstOrThrow({ where: { panelId: first.panelId, chosen: true } })).drawingId).toBe(changeDrawing.id);

	const editsBefore = world.discord.messages.get(message.id)?.edited_timestamp ?? null;
	const use = await pressButton(world, { customId: buttonOf(sheet, 'Use 1').customId, messageId: sheet.id, userId: setup.userId });
	const answer = await answerOf(world, use.id);
	expect(answer.ephemeral).toBe(true);
	expect(answer.content).toContain('is the picture of panel');
	expect(answer.content).toContain('its message marks it');
	// The first drawing's own message was written again to show it.
	expect(world.discord.messages.get(message.id)?.edited_timestamp).not.toBe(editsBefore);
	// A second press changes nothing and says so.
	const again = await pressButton(world, { customId: buttonOf(sheet, 'Use 1').customId, messageId: sheet.id, userId: setup.userId });
	expect((await answerOf(world, again.id)).content).toContain('already is the picture');
	const chosen = await db().take.findMany({ where: { panelId: first.panelId, chosen: true } });
	expect(chosen).toHaveLength(1);
	expect(chosen[0]?.drawingId).toBe(first.id);
	// Nothing was lost: all three takes are kept.
	expect(await db().take.count({ where: { panelId: first.panelId } })).toBe(3);
	expectNoPings(world.discord);
});

test('History on a host that no longer has the takes fetches each again from its workflow, then shows them all', async () => {
	const setup = await projectWithCharacter(world);
	const { message } = await readyPanel(world, setup, 'a lantern');
	const redraw = await press(world, message, 'Redraw', setup.userId);
	const redrawn = await world.waitForOriginal(redraw.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
	const panelId = (await db().drawing.findFirstOrThrow({ where: { interactionId: redraw.id } })).panelId;
	const takes = await db().take.findMany({ where: { panelId } });
	expect(takes).toHaveLength(2);
	const bytes = await Promise.all(takes.map((take) => readFile(join(world.config.DATA_DIR, 'panels', take.imagePath))));
	for (const take of takes) await unlink(join(world.config.DATA_DIR, 'panels', take.imagePath));
	const readsBefore = world.orchestrator.requests.length;

	const history = await press(world, redrawn, 'History', setup.userId);
	const sheet = await world.waitForOriginal(history.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
	expect(labelsOf(sheet)).toEqual(['Use 1', '✓ 2']);
	// Each workflow was read again for its picture, and the files are back as they were.
	const reads = world.orchestrator.requests.slice(readsBefore).filter((request) => request.method === 'GET');
	for (const take of takes) expect(reads.some((request) => request.path.includes(take.workflowId))).toBe(true);
	for (const [index, take] of takes.entries())
		expect((await readFile(join(world.config.DATA_DIR, 'panels', take.imagePath))).equals(bytes[index] ?? Buffer.alloc(0))).toBe(true);
});

test('History outside an age-restricted channel leaves the mature take out and says so', async () => {
	const setup = await projectWithCharacter(world);
	const previous = world.orchestrator.behaviour;
	// The fake rates a picture by its prompt: the first drawing X, the change PG-13.
	world.orchestrator.behaviour = (body, workflowId) => {
		const base = previous(body, workflowId);
		return /rated x/.test(String(submittedInput(body).prompt)) ? { ...base, nsfwLevel: 'X' } : base;
	};
	try {
		const restricted = { channelId: '300000000000000099', channelNsfw: true };
		const sent = world.discord.sendCommand({
			userId: setup.userId,
			...restricted,
			subcommand: 'panel',
			options: { project: setup.project, prompt: 'the hero at night, rated x', enhance: false },
		});
		const message = await world.waitForOriginal(sent.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
		const pressed = await pressButton(world, { customId: buttonOf(message, 'Change').customId, messageId: message.id, userId: setup.userId, ...restricted });
		const customId = String((pressed.callback.data as { custom_id: string }).custom_id);
		const submitted = world.discord.sendModalSubmit({
			customId,
			fields: { instruction: 'make it day' },
			userId: setup.userId,
			messageId: message.id,
			...restricted,
		});
		const changed = await world.waitForOriginal(submitted.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
		const history = await pressButton(world, {
			customId: buttonOf(changed, 'History').customId,
			messageId: changed.id,
			userId: setup.userId,
			channelNsfw: false,
		});
		const sheet = await world.waitForOriginal(history.id, (reply) => reply.content.includes('History of panel'), 20_000);
		expect(sheet.content).toContain('1 mature take is left out');
		expect(labelsOf(sheet)).toEqual(['✓ 1']);
	} finally {
		world.orchestrator.behaviour = previous;
	}
});

test('a Change above confirm_above (default 50) asks before spending: nothing is submitted before Draw', async () => {
	const guildId = '200000000000000921';
	const setup = await projectWithCharacter(world, { guildId });
	const sent = world.discord.sendCommand({
		userId: setup.userId,
		guildId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: 'a small boat', enhance: false },
	});
	const message = await world.waitForOriginal(sent.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
	const pressed = await pressButton(world, { customId: buttonOf(message, 'Change').customId, messageId: message.id, userId: setup.userId, guildId });
	const customId = String((pressed.callback.data as { custom_id: string }).custom_id);
	const workflowsBefore = world.orchestrator.workflows.size;
	const submitted = world.discord.sendModalSubmit({ customId, fields: { instruction: 'add fog' }, userId: setup.userId, messageId: message.id, guildId });
	const waiting = await world.waitForOriginal(submitted.id, (reply) => textOf(reply).includes('Waiting for its owner'), 20_000);
	expect(buttonOf(waiting, 'Draw').label).toContain('104');
	expect(world.orchestrator.workflows.size).toBe(workflowsBefore);
	const draw = await pressButton(world, { customId: buttonOf(waiting, 'Draw').customId, messageId: waiting.id, userId: setup.userId, guildId });
	expect(draw.callback.type).toBeGreaterThan(0);
	await world.waitForOriginal(submitted.id, (reply) => reply.attachments.length === 1, 20_000);
	expect(world.orchestrator.workflows.size).toBe(workflowsBefore + 1);
	expect(stepOf(world.orchestrator.submissions.at(-1)?.body).input.prompt).toBe('add fog');
});

test("someone else's press on Change and History is refused privately and changes nothing", async () => {
	const setup = await projectWithCharacter(world);
	const { id, message } = await readyPanel(world, setup, 'an empty road');
	const first = await db().drawing.findFirstOrThrow({ where: { interactionId: id } });
	const stranger = newUserId();
	const shown = () => {
		const live = world.discord.messages.get(message.id);
		return JSON.stringify({ content: live?.content, components: live?.components, embeds: live?.embeds, attachments: live?.attachments });
	};
	const before = shown();
	for (const word of ['Change', 'History']) {
		const pressed = await press(world, message, word, stranger);
		// A private reply, not a modal or a deferral.
		expect(pressed.callback.type).toBe(4);
		const refusal = await answerOf(world, pressed.id);
		expect(refusal.ephemeral).toBe(true);
	}
	// A forged Change modal submit from the stranger is refused too.
	const forged = world.discord.sendModalSubmit({
		customId: `panel-change:${first.id}`,
		fields: { instruction: 'make it red' },
		userId: stranger,
		messageId: message.id,
	});
	expect((await answerOf(world, forged.id)).ephemeral).toBe(true);
	expect(await db().drawing.count({ where: { panelId: first.panelId } })).toBe(1);
	// The panel's message stays as it was.
	expect(shown()).toBe(before);
});

test('a Change with the LLM on: the instruction goes to the rewrite with the rule to keep the rest of the picture, and the request carries the rewritten prompt', async () => {
	const setup = await projectWithCharacter(world);
	const sent = world.discord.sendCommand({
		userId: setup.userId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: 'a harbour at noon', enhance: true },
	});
	const message = await world.waitForOriginal(sent.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
	const completionsBefore = world.openai.completions.length;
	const submitted = await change(message, setup.userId, 'make it rain');
	const changed = await world.waitForOriginal(submitted.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
	const rewrites = world.openai.completions.slice(completionsBefore).map((completion) => JSON.stringify(completion.body));
	expect(rewrites).toHaveLength(1);
	expect(rewrites[0]).toContain('make it rain');
	expect(rewrites[0]).toContain('everything not named (characters, their looks, poses, setting, framing, style) stays exactly as in image 1');
	// The fake answers `REWRITTEN: <what it was asked>`: that, not the instruction as typed, is the edit's prompt.
	const drawing = await db().drawing.findFirstOrThrow({ where: { interactionId: submitted.id } });
	const step = stepOf(world.orchestrator.workflows.get(drawing.workflowId ?? '')?.body);
	expect(String(step.input.prompt)).toMatch(/^REWRITTEN: [\s\S]*make it rain/);
	expect(drawing.finalPrompt).toBe(step.input.prompt);
	expect(drawing.enhanceNote).toBeNull();
	const details = JSON.stringify((await press(world, changed, 'Details', setup.userId)).callback.data);
	expect(details).toContain('REWRITTEN:');
});
