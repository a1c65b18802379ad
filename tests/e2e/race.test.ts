// Commands of one user at the same instant: the in-flight limit is checked and kept in one step with
// the insert (the user's row taken in turn inside a transaction), so with a shared key no race can
// spend Buzz past the operator's cap. Runs on both databases (PostgreSQL in CI).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { waitFor } from '../process.ts';
import { startWorld, type World } from '../world.ts';
import { drawPanel, projectWithCharacter } from './support/panels.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld({ MAX_PANELS_IN_FLIGHT_PER_USER: '2', MAX_PANELS_PER_USER_PER_DAY: '50' });
});
afterAll(async () => {
	await world?.close();
});

function messagesOf(interactionId: string) {
	return [...world.discord.messages.values()].filter((message) => message.interactionId === interactionId && !message.deleted);
}

test('eight panel commands of one user at the same instant: exactly the in-flight limit is stored and submitted, the rest are refused privately', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.behaviour = () => ({ durationMs: Number.POSITIVE_INFINITY });
	const db = world.bot.database.db;
	const before = { drawings: await db.drawing.count(), submissions: world.orchestrator.submissions.length };

	const sent = Array.from({ length: 8 }, (_, index) => drawPanel(world, setup, `racing panel ${index}`));
	// Every command is answered; two are stored.
	await waitFor(
		async () => {
			const stored = await db.drawing.count({ where: { interactionId: { in: sent.map((s) => s.id) } } });
			const answered = sent.filter((s) => (world.discord.callbacks.get(s.id)?.length ?? 0) > 0).length;
			return stored === 2 && answered === sent.length;
		},
		20_000,
		() => 'not every command was answered',
	);
	await world.discord.waitFor(() => world.orchestrator.submissions.length >= before.submissions + 2 || undefined, 10_000);

	const drawings = await db.drawing.findMany({ where: { interactionId: { in: sent.map((s) => s.id) } } });
	expect(drawings).toHaveLength(2);
	expect(await db.drawing.count()).toBe(before.drawings + 2);
	expect(world.orchestrator.submissions.length).toBe(before.submissions + 2);
	// The panels that lost the race left nothing behind: no panel without its drawing.
	expect(await db.panel.count({ where: { drawings: { none: {} } } })).toBe(0);
	for (const refused of sent.filter((s) => !drawings.some((drawing) => drawing.interactionId === s.id))) {
		const [message, ...others] = await world.discord.waitFor(() => {
			const left = messagesOf(refused.id);
			return left.length === 1 && left[0]?.content.includes('the limit is 2') ? left : undefined;
		});
		expect(others).toEqual([]);
		expect(message?.ephemeral).toBe(true);
		expect(message?.allowed_mentions).toEqual({ parse: [] });
	}
});
