// Past the in-flight limit a panel waits in its owner's queue (the database) instead of being refused,
// and starts by itself when a slot frees; past the queue's bound, a plain refusal.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startWorld, type World } from '../world.ts';
import { drawPanel, expectNoPings, projectWithCharacter, waitForPanel } from './support/panels.ts';
import { finishAll } from './support/queue.ts';
import { answerOf, buttonsOf, press } from './support/actions.ts';
import { CANCELED_BEFORE_SUBMISSION } from '../../src/comic/generation/failures.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld({ MAX_PANELS_IN_FLIGHT_PER_USER: '2', MAX_PANELS_QUEUED_PER_USER: '2', MAX_PANELS_PER_USER_PER_DAY: '50' });
});
afterAll(async () => {
	await world?.close();
});

const shows = (interactionId: string, text: string) =>
	(world.discord.originalMessage(interactionId)?.history ?? []).some((body) => JSON.stringify(body).includes(text));

test('a third panel waits, says how many are ahead of it, and starts when one of the first two is done', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.behaviour = () => ({ durationMs: Number.POSITIVE_INFINITY });
	try {
		const running = [drawPanel(world, setup, 'first'), drawPanel(world, setup, 'second')];
		const panels = await Promise.all(running.map(({ id }) => waitForPanel(world, id, (panel) => panel.status === 'generating')));
		const third = drawPanel(world, setup, 'third');
		await waitForPanel(world, third.id, (panel) => panel.status === 'waiting');
		const fourth = drawPanel(world, setup, 'fourth');
		await waitForPanel(world, fourth.id, (panel) => panel.status === 'waiting');
		await world.discord.waitFor(() => (shows(third.id, 'Waiting, 0 ahead of it') && shows(fourth.id, 'Waiting, 1 ahead of it')) || undefined);
		expect(world.orchestrator.workflows.size).toBe(2);

		world.orchestrator.complete(panels[0]?.workflowId ?? '', 'succeeded');
		// The slot goes to the oldest waiting panel; the other keeps waiting.
		await waitForPanel(world, third.id, (panel) => panel.status === 'generating');
		await world.discord.waitFor(() => shows(third.id, 'Being drawn') || undefined);
		expect((await waitForPanel(world, fourth.id, () => true)).status).toBe('waiting');
		expect(world.orchestrator.workflows.size).toBe(3);
	} finally {
		world.orchestrator.behaviour = () => ({});
		finishAll(world.orchestrator);
	}
});

test('past the queue bound a panel is refused privately, and nothing is stored', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.behaviour = () => ({ durationMs: Number.POSITIVE_INFINITY });
	try {
		const first = ['a', 'b', 'c', 'd'].map((prompt) => drawPanel(world, setup, prompt));
		for (const sent of first) await waitForPanel(world, sent.id, (panel) => panel.status === 'generating' || panel.status === 'waiting');
		const db = world.bot.database.db;
		const drawings = await db.drawing.count();
		const sent = await world.command({
			userId: setup.userId,
			subcommand: 'panel',
			options: { project: setup.project, prompt: 'one too many', enhance: false },
		});
		expect(sent.reply.ephemeral).toBe(true);
		expect(sent.reply.content).toContain('2 waiting');
		expect(sent.reply.content).toContain('at most 2 may wait');
		expect(await db.drawing.count()).toBe(drawings);
	} finally {
		world.orchestrator.behaviour = () => ({});
		finishAll(world.orchestrator);
	}
});

test('a waiting panel left behind by a crash (a free slot, nobody promoting it) is started by the sweep', async () => {
	const setup = await projectWithCharacter(world);
	const sent = drawPanel(world, setup, 'left waiting');
	const drawn = await waitForPanel(world, sent.id, (panel) => panel.status === 'ready' && panel.delivery === 'delivered');
	// As if a process died after storing a waiting drawing and before the drawing ahead of it ended.
	const db = world.bot.database.db;
	const again = await db.drawing.create({
		data: { ...drawnCopy(drawn), status: 'waiting', delivery: 'pending' },
	});
	await waitForPanel(world, again.interactionId, (panel) => panel.id === again.id && panel.status === 'ready', 20_000).catch(async () => {
		throw new Error(`still ${(await db.drawing.findUnique({ where: { id: again.id } }))?.status}`);
	});
});

function drawnCopy(drawing: Awaited<ReturnType<typeof waitForPanel>>) {
	return {
		panelId: drawing.panelId,
		ownerId: drawing.ownerId,
		applicationId: drawing.applicationId,
		interactionId: `${drawing.interactionId}9`,
		interactionToken: drawing.interactionToken,
		interactionCreatedAt: drawing.interactionCreatedAt,
		channelId: drawing.channelId,
		guildId: drawing.guildId,
	};
}

test('no message of the bot pinged anyone', () => {
	expectNoPings(world.discord);
});

test('Cancel on a waiting panel drops it at once (no workflow, no slot taken), and the next one waits in its place', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.behaviour = () => ({ durationMs: Number.POSITIVE_INFINITY });
	try {
		const running = [drawPanel(world, setup, 'one'), drawPanel(world, setup, 'two')];
		for (const sent of running) await waitForPanel(world, sent.id, (panel) => panel.status === 'generating');
		const third = drawPanel(world, setup, 'three');
		const message = await world.waitForOriginal(third.id, (reply) => JSON.stringify(reply).includes('Waiting, 0 ahead of it') && buttonsOf(reply).length > 0);
		const canceled = await press(world, message, 'Cancel', setup.userId);
		expect((await answerOf(world, canceled.id)).content).toContain('no Buzz was spent');
		const dropped = await waitForPanel(world, third.id, (panel) => panel.status === 'failed' && panel.delivery === 'delivered');
		expect([dropped.workflowId, dropped.failureReason]).toEqual([null, CANCELED_BEFORE_SUBMISSION]);
		const fourth = drawPanel(world, setup, 'four');
		await waitForPanel(world, fourth.id, (panel) => panel.status === 'waiting');
		await world.discord.waitFor(() => shows(fourth.id, 'Waiting, 0 ahead of it') || undefined);
		expect((await waitForPanel(world, fourth.id, () => true)).workflowId).toBeNull();
	} finally {
		world.orchestrator.behaviour = () => ({});
		finishAll(world.orchestrator);
	}
});
