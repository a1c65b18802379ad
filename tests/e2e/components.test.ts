// Who may press what (docs/decisions/014-trust-boundary.md): every button and modal is checked against
// its presser, the message it is on and the rows it names before anything is acknowledged; a refusal is
// a private reply and the message stays as it was. And the half-done states of a press that races a
// submission: nothing is left running billed and unseen.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Orchestrator } from '../../src/civitai/orchestrator.ts';
import { cancelStory } from '../../src/comic/stories/cancelStory.ts';
import { drawStory } from '../../src/comic/stories/drawStory.ts';
import type { FakeMessage } from '../fakes/discord.ts';
import { waitFor } from '../process.ts';
import { pressButton, startWorld, type World } from '../world.ts';
import { answerOf, buttonOf, buttonsOf, press, readyPanel } from './support/actions.ts';
import { projectWithCast } from './support/cast.ts';
import { drawRealPictures } from './support/comic.ts';
import { drawPanel, newUserId, projectWithCharacter } from './support/panels.ts';
import { finishAll, workflowsWith } from './support/queue.ts';
import { buttonId, planJson, scriptPlanner, storyMessage } from './support/story.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld({
		ENCRYPTION_KEY: randomBytes(32).toString('base64'),
		MAX_PANELS_IN_FLIGHT_PER_USER: '2',
		MAX_PANELS_PER_USER_PER_DAY: '40',
		STORY_PLAN_TIMEOUT_SECONDS: '3',
	});
});
afterAll(async () => {
	await world?.close();
});

const db = () => world.bot.database.db;
const until = (check: () => Promise<boolean>, timeoutMs: number) => waitFor(check, timeoutMs, () => 'the database never reached the expected state');

/** Everything a user sees of a message, to compare before and after a refused press. */
function seen(message: FakeMessage): string {
	const now = world.discord.messages.get(message.id);
	if (!now) throw new Error(`message ${message.id} is unknown`);
	const { content, embeds, components, attachments, edits, deleted } = now;
	return JSON.stringify({ content, embeds, components, attachments: attachments.map((file) => file.filename), edits, deleted });
}

/** The private answer to a press, which must be a reply of its own (never an update of the message pressed). */
async function refusal(pressed: { id: string; callback: { type: number } }): Promise<string> {
	expect(pressed.callback.type).toBe(4);
	const answer = await answerOf(world, pressed.id);
	expect(answer.ephemeral).toBe(true);
	return answer.content;
}

/** Presses a custom id on a message, as `userId`. */
function pressId(message: FakeMessage, customId: string, userId: string) {
	return pressButton(world, { customId, messageId: message.id, userId, channelId: message.channel_id });
}

/** `/comic account link` with a key the fake orchestrator accepts: the user's panels are paid with it. */
async function link(userId: string): Promise<string> {
	const key = randomBytes(16).toString('hex');
	world.orchestrator.keys.add(key);
	const opened = world.discord.sendCommand({ userId, group: 'account', subcommand: 'link' });
	const modal = await world.discord.waitFor(() => world.discord.modalOf(opened.id));
	const sent = world.discord.sendModalSubmit({ userId, customId: String(modal.custom_id), fields: { api_key: key } });
	await world.waitForOriginal(sent.id, (message) => message.content.length > 0);
	return key;
}

async function planStory(userId: string, project: string): Promise<FakeMessage> {
	const sent = await world.command({ userId, subcommand: 'story', options: { project, story: 'two friends find a boat' } });
	return world.waitForOriginal(sent.id, (message) => message.content.includes('Story plan'), 15_000);
}

test('another member presses every button of a panel message and submits its Edit form: each is refused privately, nothing changes', async () => {
	const setup = await projectWithCharacter(world);
	const { id, message } = await readyPanel(world, setup, 'a lantern at dusk', 2);
	const drawing = await db().drawing.findFirstOrThrow({ where: { interactionId: id } });
	const stranger = newUserId();
	const rows = async () =>
		JSON.stringify({
			drawings: await db().drawing.count({ where: { panelId: drawing.panelId } }),
			chosen: (await db().take.findFirstOrThrow({ where: { panelId: drawing.panelId, chosen: true } })).index,
			panel: await db().panel.findUnique({ where: { id: drawing.panelId } }),
		});
	const before = { message: seen(message), rows: await rows() };

	for (const word of ['Use 2', 'Redraw', 'Edit', 'Details', 'Delete'])
		expect(await refusal(await press(world, message, word, stranger))).toContain('Only the owner');
	const form = world.discord.sendModalSubmit({
		customId: `panel-edit:${drawing.id}`,
		fields: { prompt: 'a stolen lantern', caption: 'Mine now.', dialogue: '' },
		userId: stranger,
		messageId: message.id,
	});
	const formAnswer = await answerOf(world, form.id);
	expect(formAnswer.ephemeral).toBe(true);
	expect(formAnswer.content).toContain('Only the owner');
	expect({ message: seen(message), rows: await rows() }).toEqual(before);

	// The owner asks to delete: the question replaces the buttons; the stranger can answer neither way.
	await press(world, message, 'Delete', setup.userId);
	const asked = await world.discord.waitFor(() => {
		const now = world.discord.messages.get(message.id);
		return now && buttonsOf(now).some((button) => button.label === 'Keep it') ? now : undefined;
	});
	const question = seen(asked);
	for (const word of ['Delete this panel', 'Keep it']) {
		const button = buttonsOf(asked).find((candidate) => candidate.label === word);
		expect(await refusal(await pressId(asked, button?.customId ?? '', stranger))).toContain('Only the owner');
	}
	expect(seen(asked)).toBe(question);
	expect(await rows()).toBe(before.rows);
});

test('another member presses Cancel on a panel being drawn: refused privately, the message and the workflow go on', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.behaviour = () => ({ durationMs: Number.POSITIVE_INFINITY });
	try {
		const sent = drawPanel(world, setup, 'a slow sunrise');
		const waiting = await world.waitForOriginal(sent.id, (message) => buttonsOf(message).some((button) => button.label === 'Cancel'), 15_000);
		const drawing = await db().drawing.findFirstOrThrow({ where: { interactionId: sent.id } });
		const before = seen(waiting);
		expect(await refusal(await press(world, waiting, 'Cancel', newUserId()))).toContain('Only the owner');
		expect(seen(waiting)).toBe(before);
		const after = await db().drawing.findUniqueOrThrow({ where: { id: drawing.id } });
		expect(after.cancelRequestedAt).toBeNull();
		expect(world.orchestrator.cancellations).not.toContain(after.workflowId);
	} finally {
		world.orchestrator.behaviour = () => ({});
		finishAll(world.orchestrator);
	}
});

test('another member presses Cancel story on the public story message: refused privately; the message stays and the story goes on', async () => {
	const cast = await projectWithCast(world, [{ name: 'Nova', word: 'novachar' }]);
	const stranger = newUserId();
	scriptPlanner(world.openai, () =>
		planJson([
			{ description: 'guardA Nova finds a boat', characters: ['Nova'] },
			{ description: 'guardB Nova rows away', characters: ['Nova'] },
		]),
	);
	world.orchestrator.behaviour = () => ({ durationMs: Number.POSITIVE_INFINITY });
	try {
		const plan = await planStory(cast.userId, cast.project);
		const story = await db().storyPlan.findFirstOrThrow({ where: { ownerId: cast.userId } });
		// The plan's buttons too (a forged press: the plan is the owner's private message).
		for (const label of ['Draw all', 'Cancel'])
			expect(await refusal(await pressId(plan, buttonId(plan, label), stranger))).toMatch(/Only the person who planned/);
		expect((await db().storyPlan.findUniqueOrThrow({ where: { id: story.id } })).status).toBe('planned');
		expect(await db().panel.count({ where: { storyId: story.id } })).toBe(0);

		const drawn = await pressId(plan, buttonId(plan, 'Draw all'), cast.userId);
		const message = await world.discord.waitFor(() => {
			const found = storyMessage(world, drawn.id);
			return found && JSON.stringify(found.components).includes('Cancel story') ? found : undefined;
		}, 15_000);
		await until(async () => (await db().drawing.count({ where: { panel: { storyId: story.id }, status: 'generating' } })) === 2, 15_000);
		const before = seen(message);
		expect(await refusal(await pressId(message, buttonId(message, 'Cancel story'), stranger))).toContain(
			'Only the person who planned this story can cancel it',
		);
		expect(seen(message)).toBe(before);
		expect(world.discord.messages.get(message.id)?.deleted).toBe(false);
		expect((await db().storyPlan.findUniqueOrThrow({ where: { id: story.id } })).status).toBe('drawing');
		expect(await db().drawing.count({ where: { panel: { storyId: story.id }, status: 'generating' } })).toBe(2);
		expect(world.orchestrator.cancellations.filter((workflowId) => workflowsWith(world.orchestrator, 'guard').some((wf) => wf.id === workflowId))).toEqual([]);

		// The owner's Cancel still works from the same message.
		await pressId(message, buttonId(message, 'Cancel story'), cast.userId);
		await until(async () => (await db().storyPlan.findUniqueOrThrow({ where: { id: story.id } })).status === 'canceled', 15_000);
	} finally {
		world.orchestrator.behaviour = () => ({});
		finishAll(world.orchestrator);
	}
});

test('a press whose custom id names other rows than its message is refused privately and the message stays as it was', async () => {
	const owner = await projectWithCharacter(world);
	const other = await projectWithCharacter(world);
	const behaviour = world.orchestrator.behaviour;
	await drawRealPictures(world);
	const [first, second, theirs] = await Promise.all([
		readyPanel(world, owner, 'a red kite'),
		readyPanel(world, owner, 'a blue kite'),
		readyPanel(world, other, 'a secret diary'),
	]).finally(() => {
		world.orchestrator.behaviour = behaviour;
	});
	const drawingOf = (interactionId: string) => db().drawing.findFirstOrThrow({ where: { interactionId }, include: { panel: true } });
	const one = await drawingOf(first.id);
	const two = await drawingOf(second.id);
	const secret = await drawingOf(theirs.id);
	const panels = async () => JSON.stringify(await db().panel.findMany({ where: { ownerId: { in: [owner.userId, other.userId] } }, orderBy: { id: 'asc' } }));
	const before = { message: seen(first.message), panels: await panels() };

	// The owner's own rows, but named on the wrong message: the panel message of drawing one.
	for (const customId of [
		`panel:delete:${two.id}`,
		`panel:details:${two.id}`,
		`panel:redraw:${two.id}`,
		`panel-use:${two.id}:1`,
		`panel-delete:cancel:${two.panel.projectId}:${two.panelId}`,
		`panel-delete:confirm:${two.panel.projectId}:${two.panelId}`,
		`project-delete:cancel:${one.panel.projectId}`,
		`read:${one.panel.projectId}:1`,
	])
		expect(await refusal(await pressId(first.message, customId, owner.userId))).toContain('does not belong to this message');
	const form = world.discord.sendModalSubmit({
		customId: `panel-edit:${two.id}`,
		fields: { prompt: 'a green kite' },
		userId: owner.userId,
		messageId: first.message.id,
	});
	const formAnswer = await answerOf(world, form.id);
	expect(formAnswer.ephemeral).toBe(true);
	expect(formAnswer.content).toContain('does not belong to this message');
	expect({ message: seen(first.message), panels: await panels() }).toEqual(before);

	// A reader shows the project it was posted for, to anyone: not another user's project by its id.
	const posted = await world.command({ userId: owner.userId, subcommand: 'read', options: { project: owner.project } });
	const reader = await world.waitForOriginal(posted.id, (message) => message.attachments.length === 1, 20_000);
	const page = seen(reader);
	const intruder = await refusal(await pressId(reader, `read:${secret.panel.projectId}:1`, newUserId()));
	expect(intruder).toContain('does not belong to this message');
	expect(intruder).not.toContain(other.project);
	expect(seen(reader)).toBe(page);
	// Its own pages still turn, for anyone.
	const next = buttonOf(reader, 'Next').customId;
	expect(next).toContain(one.panel.projectId);
	const turned = await pressId(reader, next, newUserId());
	expect(turned.callback.type).toBe(7);
});

test('a press on rows deleted under it is a plain private "no longer exists"; the message stays as it was', async () => {
	const setup = await projectWithCharacter(world);
	const { id, message } = await readyPanel(world, setup, 'a paper boat');
	await press(world, message, 'Delete', setup.userId);
	const asked = await world.discord.waitFor(() => {
		const now = world.discord.messages.get(message.id);
		return now && buttonsOf(now).some((button) => button.label === 'Delete this panel') ? now : undefined;
	});
	const drawing = await db().drawing.findFirstOrThrow({ where: { interactionId: id } });
	const question = seen(asked);
	// The project goes (its own confirmation), then the panel's question is answered.
	const ask = await world.command({ userId: setup.userId, group: 'project', subcommand: 'delete', options: { project: setup.project } });
	await pressId(ask.reply, buttonId(ask.reply, 'Delete'), setup.userId);
	await until(async () => (await db().project.count({ where: { ownerId: setup.userId } })) === 0, 10_000);
	for (const customId of [
		buttonsOf(asked).find((button) => button.label === 'Delete this panel')?.customId ?? '',
		`panel:redraw:${drawing.id}`,
		`panel:details:${drawing.id}`,
	])
		expect(await refusal(await pressId(asked, customId, setup.userId))).toContain('no longer exists');
	expect(seen(asked)).toBe(question);

	// A story whose project was deleted: its Cancel says so privately and leaves the message alone.
	const cast = await projectWithCast(world, [{ name: 'Iris', word: 'irischar' }]);
	scriptPlanner(world.openai, () =>
		planJson([
			{ description: 'goneA Iris waves', characters: ['Iris'] },
			{ description: 'goneB Iris leaves', characters: ['Iris'] },
		]),
	);
	const plan = await planStory(cast.userId, cast.project);
	const planSeen = seen(plan);
	const project = await db().project.findFirstOrThrow({ where: { ownerId: cast.userId } });
	const askProject = await world.command({ userId: cast.userId, group: 'project', subcommand: 'delete', options: { project: project.id } });
	await pressId(askProject.reply, buttonId(askProject.reply, 'Delete'), cast.userId);
	await until(async () => (await db().project.count({ where: { id: project.id } })) === 0, 10_000);
	for (const label of ['Cancel', 'Draw all']) expect(await refusal(await pressId(plan, buttonId(plan, label), cast.userId))).toContain('no longer exists');
	expect(seen(plan)).toBe(planSeen);
});

test.each(['panel', 'project'] as const)(
	'a %s deleted while its workflow is being submitted: that workflow is canceled, with the key that submitted it',
	async (what) => {
		const setup = await projectWithCharacter(world);
		const key = await link(setup.userId);
		// The workflow keeps running until canceled: a fast one could succeed before the cancel lands.
		const behaviour = world.orchestrator.behaviour;
		world.orchestrator.behaviour = () => ({ durationMs: Number.POSITIVE_INFINITY });
		const hold = world.orchestrator.holdSubmissions();
		try {
			drawPanel(world, setup, `a moth at the window (${what})`);
			await world.discord.waitFor(() => hold.held === 1 || undefined, 15_000);
			const asked =
				what === 'panel'
					? await world.command({ userId: setup.userId, group: 'panels', subcommand: 'delete', options: { project: setup.project, panel: 1 } })
					: await world.command({ userId: setup.userId, group: 'project', subcommand: 'delete', options: { project: setup.project } });
			const confirmed = await pressId(asked.reply, buttonId(asked.reply, 'Delete'), setup.userId);
			expect(JSON.stringify(confirmed.callback.data)).toContain('Deleted');
			expect(await db().panel.count({ where: { ownerId: setup.userId } })).toBe(0);
		} finally {
			hold.release();
		}
		const [workflowId] = hold.workflowIds;
		await world.discord.waitFor(() => world.orchestrator.cancellations.includes(workflowId ?? '') || undefined, 15_000);
		const cancels = world.orchestrator.calls.filter((call) => call.method === 'PUT' && call.path.endsWith(workflowId ?? ''));
		expect(cancels.map((call) => call.key)).toEqual([key]);
		expect(world.orchestrator.workflows.get(workflowId ?? '')?.final?.status).toBe('canceled');
		world.orchestrator.behaviour = behaviour;
	},
);

test('Cancel story while its panels are being submitted: it wins, and no workflow of the story is left running', async () => {
	const cast = await projectWithCast(world, [{ name: 'Moss', word: 'mosschar' }]);
	scriptPlanner(world.openai, () =>
		planJson([
			{ description: 'heldA Moss climbs', characters: ['Moss'] },
			{ description: 'heldB Moss falls', characters: ['Moss'] },
			{ description: 'heldC Moss laughs', characters: ['Moss'] },
		]),
	);
	world.orchestrator.behaviour = () => ({ durationMs: Number.POSITIVE_INFINITY });
	const hold = world.orchestrator.holdSubmissions();
	try {
		const plan = await planStory(cast.userId, cast.project);
		const story = await db().storyPlan.findFirstOrThrow({ where: { ownerId: cast.userId } });
		const drawAll = buttonId(plan, 'Draw all');
		const drawn = await pressId(plan, drawAll, cast.userId);
		// Two slots: the first panel's submission is held (the second waits for it, in order).
		await world.discord.waitFor(() => hold.held >= 1 || undefined, 15_000);
		const message = await world.discord.waitFor(() => {
			const found = storyMessage(world, drawn.id);
			return found && JSON.stringify(found.components).includes('Cancel story') ? found : undefined;
		}, 15_000);
		await pressId(message, buttonId(message, 'Cancel story'), cast.userId);
		await until(async () => (await db().storyPlan.findUniqueOrThrow({ where: { id: story.id } })).status === 'canceled', 10_000);
		// Draw all again loses plainly: nothing more is created.
		expect(await refusal(await pressId(plan, drawAll, cast.userId))).toMatch(/canceled|already being drawn/);
		hold.release();
		await waitFor(
			async () => (await db().drawing.count({ where: { panel: { storyId: story.id }, status: { in: ['waiting', 'queued', 'generating'] } } })) === 0,
			15_000,
			() => 'a panel of the canceled story is still being drawn',
		);
		const workflows = workflowsWith(world.orchestrator, 'held');
		expect(workflows.length).toBeGreaterThanOrEqual(1);
		for (const workflow of workflows) expect(workflow.final?.status).toBe('canceled');
		expect(await db().panel.count({ where: { storyId: story.id } })).toBe(3);
	} finally {
		hold.release();
		world.orchestrator.behaviour = () => ({});
		finishAll(world.orchestrator);
	}
});

test('Draw all commits between Cancel’s read and its write: Cancel reads again and cancels the story being drawn; the two never both win', async () => {
	const cast = await projectWithCast(world, [{ name: 'Wren', word: 'wrenchar' }]);
	scriptPlanner(world.openai, () =>
		planJson([
			{ description: 'raceA Wren sings', characters: ['Wren'] },
			{ description: 'raceB Wren flies', characters: ['Wren'] },
			{ description: 'raceC Wren lands', characters: ['Wren'] },
		]),
	);
	world.orchestrator.behaviour = () => ({ durationMs: Number.POSITIVE_INFINITY });
	try {
		await planStory(cast.userId, cast.project);
		const story = await db().storyPlan.findFirstOrThrow({ where: { ownerId: cast.userId } });
		const real = db();
		let drawn: Awaited<ReturnType<typeof drawStory>> | undefined;
		// The database as Cancel sees it: its first write to the story waits until a Draw all has committed.
		const interleaved = new Proxy(real, {
			get(target, property, receiver) {
				const value = Reflect.get(target, property, receiver);
				if (property !== 'storyPlan') return value;
				return new Proxy(value, {
					get(plans, name, plansReceiver) {
						const method = Reflect.get(plans, name, plansReceiver);
						if (name !== 'updateMany' || drawn) return method;
						return async (args: unknown) => {
							drawn = await drawStory(real, { inFlightPerUser: 2, perUserPerDay: 40 }, cast.userId, story.id, {
								applicationId: world.discord.applicationId,
								interactionId: `race-${story.id}`,
								interactionToken: 'race',
								interactionCreatedAt: new Date(),
								channelId: story.channelId,
								messageId: null,
							});
							return Reflect.apply(method, plans, [args]);
						};
					},
				});
			},
		});
		const botOrchestrator = new Orchestrator({ baseUrl: world.config.ORCHESTRATOR_URL, token: world.config.CIVITAI_API_TOKEN });
		const result = await cancelStory({ db: interleaved, botOrchestrator, log: world.bot.log }, cast.userId, story.id);
		expect(drawn?.panels).toBe(3);
		expect(result?.wasDrawing).toBe(true);
		expect((await real.storyPlan.findUniqueOrThrow({ where: { id: story.id } })).status).toBe('canceled');
		await waitFor(
			async () => (await real.drawing.count({ where: { panel: { storyId: story.id }, status: { in: ['waiting', 'queued', 'generating'] } } })) === 0,
			15_000,
			() => 'a panel of the canceled story is still being drawn',
		);
		for (const workflow of workflowsWith(world.orchestrator, 'race')) expect(workflow.final?.status).toBe('canceled');
	} finally {
		world.orchestrator.behaviour = () => ({});
		finishAll(world.orchestrator);
	}
});
