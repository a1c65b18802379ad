// Commands of one user at the same instant: the in-flight slots and the queue are checked and kept in
// one step with the insert (the user's row taken in turn inside a transaction), so no race submits
// more than the limit at once or queues past the bound. Runs on both databases (PostgreSQL in CI).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { finalDeliveries } from '../deliveries.ts';
import { waitFor } from '../process.ts';
import { startWorld, type World } from '../world.ts';
import { drawPanel, projectWithCharacter } from './support/panels.ts';
import { peakRunning, workflowsWith } from './support/queue.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld({ MAX_PANELS_IN_FLIGHT_PER_USER: '2', MAX_PANELS_QUEUED_PER_USER: '4', MAX_PANELS_PER_USER_PER_DAY: '50' });
});
afterAll(async () => {
	await world?.close();
});

function messagesOf(interactionId: string) {
	return [...world.discord.messages.values()].filter((message) => message.interactionId === interactionId && !message.deleted);
}

test('eight panel commands of one user at the same instant: the limit is submitted at once, four wait, two are refused past the queue, all the rest delivered once', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.behaviour = () => ({ durationMs: Number.POSITIVE_INFINITY });
	const db = world.bot.database.db;
	const before = { drawings: await db.drawing.count(), submissions: world.orchestrator.submissions.length };

	const sent = Array.from({ length: 8 }, (_, index) => drawPanel(world, setup, `racing panel ${index}`));
	const ids = sent.map((s) => s.id);
	await waitFor(
		async () => {
			const stored = await db.drawing.count({ where: { interactionId: { in: ids } } });
			const answered = sent.filter((s) => (world.discord.callbacks.get(s.id)?.length ?? 0) > 0).length;
			return stored === 6 && answered === sent.length;
		},
		20_000,
		() => 'not every command was answered',
	);
	await waitFor(
		async () => (await db.drawing.count({ where: { interactionId: { in: ids }, status: 'generating' } })) === 2,
		10_000,
		() => 'the first two were not submitted',
	);
	const drawings = await db.drawing.findMany({ where: { interactionId: { in: ids } } });
	expect(drawings.filter((drawing) => drawing.status === 'generating')).toHaveLength(2);
	expect(drawings.filter((drawing) => drawing.status === 'waiting')).toHaveLength(4);
	expect(world.orchestrator.submissions.length).toBe(before.submissions + 2);
	// The commands that lost the race left nothing behind: no panel without its drawing.
	expect(await db.panel.count({ where: { drawings: { none: {} } } })).toBe(0);
	for (const refused of sent.filter((s) => !drawings.some((drawing) => drawing.interactionId === s.id))) {
		const [message, ...others] = await world.discord.waitFor(() => {
			const left = messagesOf(refused.id);
			return left.length === 1 && left[0]?.content.includes('at most 4 may wait') ? left : undefined;
		});
		expect(others).toEqual([]);
		expect(message?.ephemeral).toBe(true);
		expect(message?.allowed_mentions).toEqual({ parse: [] });
	}

	// Finish them one at a time as they come: the waiting ones follow, never more than two at once.
	const stored = drawings.map((drawing) => drawing.interactionId);
	await waitFor(
		async () => {
			for (const workflow of workflowsWith(world.orchestrator, 'racing panel')) if (!workflow.final) world.orchestrator.complete(workflow.id, 'succeeded');
			return (await db.drawing.count({ where: { interactionId: { in: stored }, delivery: 'delivered', status: 'ready' } })) === 6;
		},
		30_000,
		() => 'not every panel was delivered',
	);
	const workflows = workflowsWith(world.orchestrator, 'racing panel');
	expect(workflows).toHaveLength(6);
	expect(peakRunning(workflows)).toBeLessThanOrEqual(2);
	// Once: every body that ever showed a panel's picture, in its reply or in any message posted for it, counted.
	for (const drawing of await db.drawing.findMany({ where: { interactionId: { in: stored } } })) {
		expect(finalDeliveries(world.discord, drawing), `drawing ${drawing.id} delivered once`).toBe(1);
	}
	world.orchestrator.behaviour = () => ({});
});
