import { afterAll, beforeAll, expect, test } from 'vitest';
import { answerOf, buttonOf, buttonsOf, labelsOf, press, readyPanel, textOf } from './support/actions.ts';
import { expectNoPings, newUserId, projectWithCharacter, submittedInput, waitForPanel } from './support/panels.ts';
import { embedOf, pressButton, startWorld, type World } from '../world.ts';
import { drawRealPictures } from './support/comic.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world?.close();
});

const db = () => world.bot.database.db;

test('takes: 2 draws one workflow of quantity 2; the message shows both pictures and Use 1, Use 2; Use 2 makes take 2 the picture', async () => {
	const setup = await projectWithCharacter(world);
	const { id, message } = await readyPanel(world, setup, 'two cats on a roof', 2);
	const submission = world.orchestrator.submissions.at(-1);
	expect(submittedInput(submission?.body).quantity).toBe(2);
	expect(message.attachments).toHaveLength(2);
	// A gallery: the embeds share a url, each shows one take.
	expect(message.embeds).toHaveLength(2);
	expect(labelsOf(message).join(' | ')).toMatch(/Use 1.*Use 2.*Redraw.*Edit.*Details.*Delete/);
	expect(buttonOf(message, 'Use 1').label).toContain('✓');
	expect(textOf(message)).toContain('Buzz');

	const drawing = await db().drawing.findFirstOrThrow({ where: { interactionId: id } });
	const chosen = async () => (await db().take.findFirstOrThrow({ where: { panelId: drawing.panelId, chosen: true } })).index;
	expect(await chosen()).toBe(1);

	const used = await press(world, message, 'Use 2', setup.userId);
	expect(used.callback.type).toBe(7);
	expect(await chosen()).toBe(2);
	const updated = world.discord.messages.get(message.id);
	if (!updated) throw new Error('message gone');
	expect(buttonOf(updated, 'Use 2').label).toContain('✓');
	expect(updated.attachments).toHaveLength(2);

	// Twice: a clear answer, nothing changed.
	const again = await pressButton(world, { customId: buttonOf(message, 'Use 2').customId, messageId: message.id, userId: setup.userId });
	expect(textOf(await answerOf(world, again.id))).toContain('already');
	expect(await chosen()).toBe(2);

	// Someone else's press is refused privately.
	const other = await press(world, updated, 'Use 1', newUserId());
	const refusal = await answerOf(world, other.id);
	expect(refusal.ephemeral).toBe(true);
	expect(refusal.content).toContain('Only the owner');
	expect(await chosen()).toBe(2);
	expectNoPings(world.discord);
});

test('takes: 4 shows four pictures and Use 1 … Use 4', async () => {
	const setup = await projectWithCharacter(world);
	const { message } = await readyPanel(world, setup, 'four poses', 4);
	expect(submittedInput(world.orchestrator.submissions.at(-1)?.body).quantity).toBe(4);
	expect(message.attachments).toHaveLength(4);
	for (const n of [1, 2, 3, 4]) expect(buttonOf(message, `Use ${n}`)).toBeDefined();
	expect(await db().take.count({ where: { drawing: { interactionId: message.interactionId ?? '' } } })).toBe(4);
});

test('Redraw answers with a new public message with a new seed; the old message keeps working', async () => {
	const setup = await projectWithCharacter(world);
	const { id, message } = await readyPanel(world, setup, 'a quiet street');
	const first = await db().drawing.findFirstOrThrow({ where: { interactionId: id } });
	const redraw = await press(world, message, 'Redraw', setup.userId);
	expect(redraw.callback.type).toBe(5);
	const redrawn = await world.waitForOriginal(redraw.id, (reply) => reply.attachments.length === 1 && buttonsOf(reply).length > 0, 20_000);
	expect(redrawn.id).not.toBe(message.id);
	expect(redrawn.ephemeral).toBe(false);
	const second = await db().drawing.findFirstOrThrow({ where: { interactionId: redraw.id } });
	expect(second.panelId).toBe(first.panelId);
	expect(second.prompt).toBe('a quiet street');
	expect((second.params as { seed: number }).seed).not.toBe((first.params as { seed: number }).seed);
	// The newest drawing's first take is the panel's picture.
	const chosen = await db().take.findFirstOrThrow({ where: { panelId: first.panelId, chosen: true } });
	expect(chosen.drawingId).toBe(second.id);
	// The ready message shows the Buzz of both drawings.
	expect(textOf(redrawn)).toMatch(/20 for the panel/);

	// The old message's buttons still work: Details of the first drawing.
	const details = await press(world, message, 'Details', setup.userId);
	const shown = await answerOf(world, details.id);
	expect(shown.ephemeral).toBe(true);
	expect(textOf(shown)).toContain(first.workflowId ?? 'missing');
});

test('Details shows the prompt as typed and as sent, seed, checkpoint, LoRA, size, steps, cfg, scheduler, workflow, takes and Buzz', async () => {
	const setup = await projectWithCharacter(world);
	const { id, message } = await readyPanel(world, setup, 'rain on glass');
	const drawing = await db().drawing.findFirstOrThrow({ where: { interactionId: id } });
	const details = await press(world, message, 'Details', setup.userId);
	const shown = await answerOf(world, details.id);
	expect(shown.ephemeral).toBe(true);
	const text = textOf(shown);
	const params = drawing.params as { seed: number; model: string };
	for (const expected of [
		'rain on glass',
		'herochar, rain on glass',
		'blurry',
		String(params.seed),
		params.model,
		'strength 1',
		'832 x 1216',
		'25',
		'euler',
		'Buzz',
		'10',
	])
		expect(text).toContain(expected);
	expect(text).toContain(drawing.workflowId ?? 'missing');
	expect(JSON.stringify(embedOf(shown))).toContain('CFG');
});

test('Edit opens a modal with the prompt; submitting draws the edited panel; an empty or too long prompt is refused and nothing is stored', async () => {
	const setup = await projectWithCharacter(world);
	const { id, message } = await readyPanel(world, setup, 'a red door');
	const first = await db().drawing.findFirstOrThrow({ where: { interactionId: id } });
	const edit = await press(world, message, 'Edit', setup.userId);
	expect(edit.callback.type).toBe(9);
	const modal = JSON.stringify(edit.callback.data);
	expect(modal).toContain('"custom_id":"prompt"');
	expect(modal).toContain('a red door');
	const customId = String((edit.callback.data as { custom_id: string }).custom_id);

	const drawings = () => db().drawing.count({ where: { panelId: first.panelId } });
	for (const prompt of ['   ', 'x'.repeat(1001)]) {
		const bad = world.discord.sendModalSubmit({ customId, fields: { prompt }, userId: setup.userId });
		const refusal = await answerOf(world, bad.id);
		expect(refusal.ephemeral).toBe(true);
		expect(refusal.content).toMatch(/empty|limit/);
	}
	expect(await drawings()).toBe(1);

	const submitted = world.discord.sendModalSubmit({ customId, fields: { prompt: 'a blue door' }, userId: setup.userId });
	const edited = await world.waitForOriginal(submitted.id, (reply) => reply.attachments.length === 1, 20_000);
	expect(textOf(edited)).toContain('a blue door');
	expect(submittedInput(world.orchestrator.submissions.at(-1)?.body).prompt).toBe('herochar, a blue door');
	expect((await db().panel.findUniqueOrThrow({ where: { id: first.panelId } })).prompt).toBe('a blue door');
	expect(await drawings()).toBe(2);
});

test('the Edit modal also has caption and dialogue, pre-filled: changing only the words letters the panel again, nothing is drawn', async () => {
	const setup = await projectWithCharacter(world);
	// A picture of the size a model draws, so that the words fit on it.
	const behaviour = world.orchestrator.behaviour;
	await drawRealPictures(world);
	const { id, message } = await readyPanel(world, setup, 'a lighthouse').finally(() => {
		world.orchestrator.behaviour = behaviour;
	});
	const first = await db().drawing.findFirstOrThrow({ where: { interactionId: id } });
	const edit = await press(world, message, 'Edit', setup.userId);
	const modal = JSON.stringify(edit.callback.data);
	for (const input of ['prompt', 'caption', 'dialogue']) expect(modal).toContain(`"custom_id":"${input}"`);
	const customId = String((edit.callback.data as { custom_id: string }).custom_id);
	const submissions = world.orchestrator.submissions.length;

	const words = world.discord.sendModalSubmit({
		customId,
		fields: { prompt: 'a lighthouse', caption: 'Night fell.', dialogue: 'Keeper: Lights on!' },
		userId: setup.userId,
	});
	const answer = await answerOf(world, words.id);
	expect(answer.ephemeral).toBe(true);
	expect(answer.content).toContain('Nothing was redrawn');
	const panel = await db().panel.findUniqueOrThrow({ where: { id: first.panelId } });
	expect([panel.caption, panel.dialogue]).toEqual(['Night fell.', 'Keeper: Lights on!']);
	expect(await db().drawing.count({ where: { panelId: first.panelId } })).toBe(1);
	expect(world.orchestrator.submissions.length).toBe(submissions);
	// The next Edit shows the words it now has.
	const again = await press(world, message, 'Edit', setup.userId);
	expect(JSON.stringify(again.callback.data)).toContain('Night fell.');
});

test('Delete asks first, then the panel leaves the project, later panels move up, the picture is removed; a second confirm changes nothing', async () => {
	const setup = await projectWithCharacter(world);
	const panels = [];
	for (const prompt of ['one', 'two', 'three']) panels.push(await readyPanel(world, setup, prompt));
	const [, second, third] = panels;
	if (!second || !third) throw new Error('panels missing');
	const redrawId = buttonOf(second.message, 'Redraw').customId;
	const asked = await press(world, second.message, 'Delete', setup.userId);
	expect(asked.callback.type).toBe(7);
	const question = world.discord.messages.get(second.message.id);
	if (!question) throw new Error('message gone');
	expect(labelsOf(question).join(' ')).toMatch(/Delete.*Keep/);
	// Someone else cannot answer it.
	const intruder = await press(world, question, 'Delete', newUserId());
	expect((await answerOf(world, intruder.id)).content).toContain('Only the owner');

	// The fake keeps one live object per message: keep the ids as they were before the answer.
	const confirmId = buttonOf(question, 'Delete').customId;
	const confirmed = await press(world, question, 'Delete', setup.userId);
	expect(confirmed.callback.type).toBe(7);
	const deleted = world.discord.messages.get(second.message.id);
	expect(deleted?.attachments).toHaveLength(0);
	expect(deleted?.components).toHaveLength(0);
	expect(textOf(deleted ?? question)).toContain('Deleted');
	const project = await db().project.findFirstOrThrow({ where: { ownerId: setup.userId } });
	const left = await db().panel.findMany({ where: { projectId: project.id }, orderBy: { number: 'asc' }, select: { prompt: true, number: true } });
	expect(left).toEqual([
		{ prompt: 'one', number: 1 },
		{ prompt: 'three', number: 2 },
	]);

	// Pressed again (the question's buttons as they were): a clear answer, nothing changed.
	const again = await pressButton(world, { customId: confirmId, messageId: question.id, userId: setup.userId });
	expect((await answerOf(world, again.id)).content).toContain('no longer exists');
	// The deleted panel's old buttons are stale too.
	const stale = await pressButton(world, { customId: redrawId, messageId: question.id, userId: setup.userId });
	expect((await answerOf(world, stale.id)).content).toContain('no longer exists');
	expect(await db().panel.count({ where: { projectId: project.id } })).toBe(2);
});

test('while queued and drawing the message shows the queue position, the time and Cancel; Cancel stops the workflow and says refunded', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.behaviour = () => ({ durationMs: 60_000, queueAhead: 5, queuedShare: 0.5 });
	try {
		const sent = world.discord.sendCommand({
			userId: setup.userId,
			subcommand: 'panel',
			options: { project: setup.project, prompt: 'a long wait', enhance: false },
		});
		const waiting = await world.waitForOriginal(sent.id, (message) => buttonsOf(message).some((button) => button.label.includes('Cancel')));
		expect(textOf(waiting)).toMatch(/queued, 5 ahead/);
		expect(textOf(waiting)).toMatch(/<t:\d+:R>/);
		const drawing = await db().drawing.findFirstOrThrow({ where: { interactionId: sent.id } });
		expect(drawing.progressEdits).toBe(1);
		expect(drawing.progressText).toContain('5 ahead');

		// Someone else cannot cancel it.
		const intruder = await press(world, waiting, 'Cancel', newUserId());
		expect((await answerOf(world, intruder.id)).content).toContain('Only the owner');
		const cancelId = buttonOf(waiting, 'Cancel').customId;
		const canceled = await press(world, waiting, 'Cancel', setup.userId);
		const answer = await answerOf(world, canceled.id);
		expect(answer.ephemeral).toBe(true);
		expect(answer.content).toMatch(/Canceled.*refunded/);
		expect(world.orchestrator.cancellations).toContain(drawing.workflowId);
		const cancelBodies = world.orchestrator.requests.filter((request) => request.method === 'PUT' && request.path.endsWith(drawing.workflowId ?? ''));
		expect(cancelBodies[0]?.body).toEqual({ status: 'canceled' });
		const shown = await world.waitForOriginal(sent.id, (message) => textOf(message).includes('canceled'));
		expect(buttonsOf(shown).map((button) => button.label)).not.toContain('Cancel');

		const again = await pressButton(world, { customId: cancelId, messageId: waiting.id, userId: setup.userId });
		expect((await answerOf(world, again.id)).content).toContain('already finished');
	} finally {
		world.orchestrator.behaviour = () => ({});
	}
});

test('a cancel the orchestrator refuses is told plainly and the panel goes on', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.behaviour = () => ({ durationMs: 4_000 });
	try {
		const sent = world.discord.sendCommand({
			userId: setup.userId,
			subcommand: 'panel',
			options: { project: setup.project, prompt: 'stubborn', enhance: false },
		});
		const waiting = await world.waitForOriginal(sent.id, (message) => buttonsOf(message).some((button) => button.label.includes('Cancel')));
		world.orchestrator.failNext({ method: 'PUT' }, { status: 500 });
		const canceled = await press(world, waiting, 'Cancel', setup.userId);
		expect((await answerOf(world, canceled.id)).content).toContain('would not cancel');
		const drawing = await db().drawing.findFirstOrThrow({ where: { interactionId: sent.id } });
		expect(drawing.cancelRequestedAt).toBeNull();
		await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1, 20_000);
	} finally {
		world.orchestrator.behaviour = () => ({});
	}
});

test('a Redraw over the in-flight limit waits in the queue like a new panel and starts when a slot frees; one of a panel whose character was removed is refused privately and stores nothing', async () => {
	const setup = await projectWithCharacter(world);
	const { id, message } = await readyPanel(world, setup, 'limits');
	const { panelId } = await db().drawing.findFirstOrThrow({ where: { interactionId: id } });
	world.orchestrator.behaviour = () => ({ durationMs: Number.POSITIVE_INFINITY });
	try {
		const busy = [0, 1].map((n) =>
			world.discord.sendCommand({ userId: setup.userId, subcommand: 'panel', options: { project: setup.project, prompt: `busy ${n}`, enhance: false } }),
		);
		for (const sent of busy) await world.waitForOriginal(sent.id, (reply) => buttonsOf(reply).length > 0);
		const redraw = await press(world, message, 'Redraw', setup.userId);
		await world.waitForOriginal(redraw.id, (reply) => JSON.stringify(reply).includes('Waiting, 0 ahead of it'));
		const waiting = await db().drawing.findFirstOrThrow({ where: { interactionId: redraw.id } });
		expect([waiting.panelId, waiting.status, waiting.dueAt, waiting.paidBy]).toEqual([panelId, 'waiting', null, 'bot']);
		const first = [...world.orchestrator.workflows.values()].find((workflow) => !workflow.final);
		world.orchestrator.complete(first?.id ?? '', 'succeeded');
		const started = await waitForPanel(world, redraw.id, (drawing) => drawing.status === 'generating' && drawing.workflowId !== null);
		expect(started.paidBy).toBe('bot');
		expect(await db().drawing.count({ where: { panelId } })).toBe(2);
	} finally {
		for (const workflow of world.orchestrator.workflows.values()) if (!workflow.final) world.orchestrator.complete(workflow.id, 'succeeded');
		world.orchestrator.behaviour = () => ({});
	}
	const character = await world.command({
		userId: setup.userId,
		group: 'character',
		subcommand: 'remove',
		options: { project: setup.project, character: setup.character },
	});
	await world.waitForOriginal(character.id, (reply) => reply.content.length > 0);
	const orphan = await press(world, message, 'Redraw', setup.userId);
	expect((await answerOf(world, orphan.id)).content).toContain('character');
	expect(await db().drawing.count({ where: { panelId } })).toBe(2);
});

test('buttons work after the interaction token is gone: each press answers with its own token', async () => {
	const setup = await projectWithCharacter(world);
	const { id, message } = await readyPanel(world, setup, 'old token', 2);
	const original = world.discord.interactions.get(id);
	if (!original) throw new Error('interaction missing');
	world.discord.expireToken(original.token);
	const used = await press(world, message, 'Use 2', setup.userId);
	expect(used.callback.type).toBe(7);
	const redraw = await press(world, message, 'Redraw', setup.userId);
	await world.waitForOriginal(redraw.id, (reply) => reply.attachments.length === 2, 20_000);
	// Nothing was sent through the dead token after it died.
	const dead = world.discord.requests.filter((request) => request.path.includes(original.token) && request.status === 401);
	expect(dead).toHaveLength(0);
});
