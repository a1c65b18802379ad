// `/comic story`: a plan from the LLM (validated, one more try), shown privately with its cost and
// Draw all / Cancel; Draw all queues the panels in order and one public message follows them.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { AckGate } from '../../src/discord/ackGate.ts';
import { waitFor } from '../process.ts';
import { newUserId } from './support/panels.ts';
import { pressButton, startWorld, type World } from '../world.ts';
import { projectWithCast } from './support/cast.ts';
import { finishAll, peakRunning, workflowsWith } from './support/queue.ts';
import { buttonId, planJson, press, scriptPlanner, storyMessage } from './support/story.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld({ MAX_PANELS_IN_FLIGHT_PER_USER: '2', MAX_PANELS_PER_USER_PER_DAY: '10', STORY_PLAN_TIMEOUT_SECONDS: '3' });
});
afterAll(async () => {
	await world?.close();
});

const FOUR = [
	{ description: 'storyA Nova finds a map in the attic', characters: ['Nova'], caption: 'It began on a rainy day.' },
	{ description: 'storyB Nova shows the map to Rex', characters: ['nova', 'Rex'], dialogue: 'Nova: Look! | Rex: Treasure?' },
	{ description: 'storyC the two sail towards an island', characters: ['Nova', 'Rex'] },
	{ description: 'storyD Rex digs up a chest on the beach', characters: ['Rex'], caption: 'At last.' },
];

async function plan(userId: string, project: string, story = 'Nova and Rex find a treasure', panels?: number) {
	const sent = await world.command({ userId, subcommand: 'story', options: { project, story, ...(panels ? { panels } : {}) } });
	return world.waitForOriginal(sent.id, (message) => message.content.length > 0, 15_000).then((reply) => ({ ...sent, reply }));
}

test('a planned story is shown privately with its cost, drawn in order two at a time, and followed by one message', async () => {
	const cast = await projectWithCast(
		world,
		[
			{ name: 'Nova', word: 'novachar' },
			{ name: 'Rex', word: 'rexchar' },
		],
		{ description: 'A seaside adventure' },
	);
	scriptPlanner(world.openai, () => planJson(FOUR));
	const planned = await plan(cast.userId, cast.project);
	expect(planned.reply.ephemeral).toBe(true);
	expect(planned.reply.content).toContain('Story plan');
	expect(planned.reply.content).toContain('storyB Nova shows the map to Rex');
	expect(planned.reply.content).toMatch(/about \*\*40 Buzz\*\*/);
	const whatifs = world.orchestrator.submissions.filter((submission) => submission.query.get('whatif') === 'true');
	expect(whatifs.length).toBeGreaterThan(0);

	const drawAll = buttonId(planned.reply, 'Draw all');
	const pressed = await press(world, planned.reply, 'Draw all', cast.userId);
	// Pressed, the plan keeps its text and loses its buttons.
	await world.discord.waitFor(() => (planned.reply.components.length === 0 && planned.reply.content.includes('Drawing 4 panels')) || undefined);
	await waitFor(
		async () => (await world.bot.database.db.drawing.count({ where: { ownerId: cast.userId, status: 'ready', delivery: 'delivered' } })) === 4,
		30_000,
		() => 'the story was not drawn',
	);
	const workflows = workflowsWith(world.orchestrator, 'story');
	expect(workflows.map((workflow) => /story([A-D])/.exec(JSON.stringify(workflow.body))?.[1])).toEqual(['A', 'B', 'C', 'D']);
	expect(peakRunning(workflows)).toBeLessThanOrEqual(2);
	const message = await world.discord.waitFor(() => {
		const found = storyMessage(world, pressed.id);
		return found?.content.includes('Story finished: 4 of 4 drawn') ? found : undefined;
	});
	expect(message.attachments).toHaveLength(4);
	expect(message.allowed_mentions).toEqual({ parse: [] });
	// Panel 2 has both LoRAs; its words are stored; the rewrite was told the comic around it.
	const db = world.bot.database.db;
	const second = await db.panel.findFirstOrThrow({ where: { ownerId: cast.userId, prompt: { startsWith: 'storyB' } } });
	expect(second.dialogue).toBe('Nova: Look! | Rex: Treasure?');
	expect(Object.keys(JSON.parse(JSON.stringify(workflows[1]?.body)).steps[0].input.additionalNetworks)).toHaveLength(2);
	const rewrite = world.openai.completions.map((completion) => JSON.stringify(completion.body)).find((body) => body.includes('storyC'));
	expect(rewrite).toContain('A seaside adventure');
	expect(rewrite).toContain('storyA Nova finds a map');
	expect(rewrite).toContain('storyB Nova shows the map');

	// Draw all again: a plain answer, nothing created twice.
	const again = await pressButton(world, { customId: drawAll, messageId: planned.reply.id, userId: cast.userId, channelId: planned.reply.channel_id });
	const answer = await world.discord.waitFor(() => [...world.discord.messages.values()].find((m) => m.interactionId === again.id && m.ephemeral));
	expect(answer.content).toContain('already being drawn');
	expect(await db.panel.count({ where: { ownerId: cast.userId } })).toBe(4);
});

test('an invalid plan is asked for once more; garbage twice, or unknown characters twice, is a clear failure with nothing stored', async () => {
	const cast = await projectWithCast(world, [{ name: 'Nova', word: 'novachar' }]);
	const db = world.bot.database.db;
	const planner = scriptPlanner(world.openai, (attempt) =>
		attempt === 1 ? 'Sure! Here is your plan: panels...' : planJson(FOUR.slice(0, 2).map((p) => ({ ...p, characters: ['Nova'] }))),
	);
	const retried = await plan(cast.userId, cast.project);
	expect(planner.planning()).toBe(2);
	expect(retried.reply.content).toContain('Story plan');

	scriptPlanner(world.openai, () => '{"panels": "many"}');
	const garbage = await plan(cast.userId, cast.project);
	expect(garbage.reply.content).toContain('could not be used twice');
	scriptPlanner(world.openai, () =>
		planJson([
			{ description: 'a', characters: ['Nova'] },
			{ description: 'b', characters: ['Zorro'] },
		]),
	);
	const unknown = await plan(cast.userId, cast.project);
	expect(unknown.reply.content).toContain('Zorro');
	expect(await db.storyPlan.count({ where: { ownerId: cast.userId } })).toBe(1);
});

test('a planner slower than its bound is a clear failure', async () => {
	const cast = await projectWithCast(world, [{ name: 'Nova', word: 'novachar' }]);
	scriptPlanner(world.openai, () => planJson(FOUR));
	// Far longer than the test may run: the reply can come only from giving up on the planner.
	world.openai.delayMs = 120_000;
	try {
		const slow = await plan(cast.userId, cast.project);
		expect(slow.reply.content).toContain('did not answer in time');
	} finally {
		world.openai.delayMs = 0;
	}
});

test('a story over the daily limit is refused at Draw all with nothing created; Cancel drops a plan', async () => {
	const cast = await projectWithCast(world, [{ name: 'Nova', word: 'novachar' }]);
	const twelve = Array.from({ length: 12 }, (_, index) => ({ description: `long story panel ${index}`, characters: ['Nova'] }));
	scriptPlanner(world.openai, () => planJson(twelve));
	const planned = await plan(cast.userId, cast.project, 'a long one', 12);
	const pressed = await press(world, planned.reply, 'Draw all', cast.userId);
	const answer = await world.discord.waitFor(() => [...world.discord.messages.values()].find((m) => m.interactionId === pressed.id && m.ephemeral));
	expect(answer.content).toContain('daily limit');
	expect(await world.bot.database.db.panel.count({ where: { ownerId: cast.userId } })).toBe(0);
	const canceled = await press(world, planned.reply, 'Cancel', cast.userId);
	await world.discord.waitFor(() => world.discord.messages.get(planned.reply.id)?.content.includes('nothing was drawn') || undefined);
	expect(canceled.callback.type).toBe(6);
});

test('in a burst, Draw all is acknowledged at once and the story drawn; a refused one is told privately, the plan left as it was', async () => {
	const good = await projectWithCast(world, [{ name: 'Nova', word: 'novachar' }]);
	const over = await projectWithCast(world, [{ name: 'Nova', word: 'novachar' }]);
	scriptPlanner(world.openai, (_attempt, request) =>
		JSON.stringify(request).includes('a burst of twelve')
			? planJson(Array.from({ length: 12 }, (_, index) => ({ description: `burstover panel ${index}`, characters: ['Nova'] })))
			: planJson([
					{ description: 'burstgood Nova wakes', characters: ['Nova'] },
					{ description: 'burstgood Nova runs', characters: ['Nova'] },
				]),
	);
	const goodPlan = await plan(good.userId, good.project, 'a burst of two', 2);
	const overPlan = await plan(over.userId, over.project, 'a burst of twelve', 12);
	// More commands than a crowd waiting at once (refused: no such project), then both presses, in one go.
	const crowd = Array.from({ length: 2 * AckGate.CROWD }, () =>
		world.discord.sendCommand({ userId: newUserId(), subcommand: 'panel', options: { project: 'No Such Project', prompt: 'nothing', enhance: false } }),
	);
	const pressOf = (planned: typeof goodPlan, userId: string) =>
		world.discord.sendButton({ customId: buttonId(planned.reply, 'Draw all'), messageId: planned.reply.id, userId, channelId: planned.reply.channel_id });
	const drawn = pressOf(goodPlan, good.userId);
	const refused = pressOf(overPlan, over.userId);

	// Acknowledged before the story's transaction: a deferred update of the plan (type 6), one callback each.
	await world.discord.waitFor(() => [drawn, refused].every((sent) => world.discord.callbacks.get(sent.id)?.length) || undefined);
	expect(world.discord.callbacks.get(drawn.id)?.map((callback) => callback.type)).toEqual([6]);
	expect(world.discord.callbacks.get(refused.id)?.map((callback) => callback.type)).toEqual([6]);
	await world.discord.waitFor(() => (goodPlan.reply.components.length === 0 && goodPlan.reply.content.includes('Drawing 2 panels')) || undefined);
	await waitFor(
		async () => (await world.bot.database.db.drawing.count({ where: { ownerId: good.userId, status: 'ready', delivery: 'delivered' } })) === 2,
		30_000,
		() => 'the story pressed in a burst was not drawn',
	);
	const answer = await world.discord.waitFor(() => [...world.discord.messages.values()].find((m) => m.interactionId === refused.id && m.ephemeral));
	expect(answer.content).toContain('daily limit');
	expect(answer.allowed_mentions).toEqual({ parse: [] });
	expect(await world.bot.database.db.panel.count({ where: { ownerId: over.userId } })).toBe(0);
	// The refused plan keeps its buttons: it can still be canceled.
	expect(buttonId(overPlan.reply, 'Draw all')).toContain('story');
	for (const sent of crowd) await world.discord.waitFor(() => [...world.discord.messages.values()].find((m) => m.interactionId === sent.id && m.ephemeral));
});

test('canceling a story drops its waiting panels and cancels the running ones', async () => {
	const cast = await projectWithCast(world, [{ name: 'Nova', word: 'novachar' }]);
	scriptPlanner(world.openai, () => planJson(FOUR.map((p) => ({ ...p, description: p.description.replace('story', 'cancel'), characters: ['Nova'] }))));
	world.orchestrator.behaviour = () => ({ durationMs: Number.POSITIVE_INFINITY });
	try {
		const planned = await plan(cast.userId, cast.project);
		const pressed = await press(world, planned.reply, 'Draw all', cast.userId);
		const db = world.bot.database.db;
		await waitFor(
			async () => (await db.drawing.count({ where: { ownerId: cast.userId, status: 'generating' } })) === 2,
			15_000,
			() => 'not started',
		);
		const message = await world.discord.waitFor(() => storyMessage(world, pressed.id));
		await press(world, message, 'Cancel story', cast.userId);
		await waitFor(
			async () => (await db.drawing.count({ where: { ownerId: cast.userId, status: 'failed' } })) === 4,
			15_000,
			() => 'not all canceled',
		);
		expect(workflowsWith(world.orchestrator, 'cancel')).toHaveLength(2);
		expect(world.orchestrator.cancellations.length).toBeGreaterThanOrEqual(2);
		await world.discord.waitFor(() => storyMessage(world, pressed.id)?.content.includes('Story canceled') || undefined);
	} finally {
		world.orchestrator.behaviour = () => ({});
		finishAll(world.orchestrator);
	}
});

test('without an LLM, /comic story says the operator must configure one', async () => {
	const plain = await startWorld({ OPENAI_API_KEY: '' });
	try {
		await plain.command({ group: 'project', subcommand: 'create', options: { name: 'No LLM' } });
		const sent = await plain.command({ subcommand: 'story', options: { project: 'No LLM', story: 'something happens' } });
		const reply = await plain.waitForOriginal(sent.id, (message) => message.content.length > 0);
		expect(reply.content).toContain('OPENAI_API_KEY');
		expect(reply.content).toContain('operator');
	} finally {
		await plain.close();
	}
});

test('a story outside an age-restricted channel keeps a mature picture out of its message and says so', async () => {
	const cast = await projectWithCast(world, [{ name: 'Nova', word: 'novachar' }]);
	const previous = world.orchestrator.behaviour;
	// The fake rates a picture by its prompt: the second panel X.
	world.orchestrator.behaviour = (body, id) => (JSON.stringify(body).includes('storyM2') ? { ...previous(body, id), nsfwLevel: 'X' } : previous(body, id));
	try {
		scriptPlanner(world.openai, () =>
			planJson([
				{ description: 'storyM1 Nova at the door', characters: ['Nova'] },
				{ description: 'storyM2 Nova in the bath', characters: ['Nova'] },
				{ description: 'storyM3 Nova leaves', characters: ['Nova'] },
			]),
		);
		const planned = await plan(cast.userId, cast.project, 'Nova has a day', 3);
		const pressed = await press(world, planned.reply, 'Draw all', cast.userId);
		const message = await world.discord.waitFor(() => {
			const found = storyMessage(world, pressed.id);
			return found && /Story finished/.test(found.content) ? found : undefined;
		}, 30_000);
		// Two pictures shown; the X one is not, and the message says why.
		expect(message.attachments).toHaveLength(2);
		expect(message.content).toMatch(
			/#2` ❌ storyM2 [^\n]* — The picture was drawn, but it was withheld because it may be mature content and this channel is not age-restricted/,
		);
		const db = world.bot.database.db;
		// Withheld, it is not kept as a take either: nothing can show it later (export, reader).
		expect(await db.take.count({ where: { panel: { ownerId: cast.userId, prompt: { startsWith: 'storyM2' } } } })).toBe(0);
	} finally {
		world.orchestrator.behaviour = previous;
	}
});
