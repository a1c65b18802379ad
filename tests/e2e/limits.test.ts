import { afterAll, beforeAll, expect, test } from 'vitest';
import { drawPanel, expectNoPings, newUserId, projectWithCharacter, waitForPanel, type Setup } from './support/panels.ts';
import { startWorld, type World } from '../world.ts';

// Small limits, so that reaching them takes a few panels.
let world: World;
beforeAll(async () => {
	world = await startWorld({ MAX_PANELS_IN_FLIGHT_PER_USER: '2', MAX_PANELS_PER_USER_PER_DAY: '3', MAX_PANELS_PER_GUILD_PER_DAY: '4' });
});
afterAll(async () => {
	await world?.close();
});

/** Sends a panel command that must be refused: returns the private reply, after checking nothing was stored or submitted. */
async function refused(setup: Setup, guildId: string): Promise<string> {
	const db = world.bot.database.db;
	const [panels, drawings, submissions] = [await db.panel.count(), await db.drawing.count(), world.orchestrator.submissions.length];
	const sent = await world.command({
		userId: setup.userId,
		guildId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: 'one panel too many', enhance: false },
	});
	expect(world.discord.callbacks.get(sent.id)?.map((callback) => callback.type)).toEqual([4]);
	expect(sent.reply.ephemeral).toBe(true);
	expect(await db.panel.count()).toBe(panels);
	expect(await db.drawing.count()).toBe(drawings);
	expect(world.orchestrator.submissions.length).toBe(submissions);
	return sent.reply.content;
}

async function drawn(setup: Setup, guildId: string, count: number): Promise<void> {
	const sent = Array.from({ length: count }, (_, n) => drawPanel(world, setup, `panel ${n + 1}`, { guildId }));
	await Promise.all(sent.map(({ id }) => waitForPanel(world, id, (panel) => panel.status === 'ready' && panel.delivery === 'delivered')));
}

// Past the in-flight limit a panel now waits instead of being refused: tests/e2e/queue.test.ts.

test('a user who reached the daily limit is refused, privately, and told when they can draw again', async () => {
	const guildId = '200000000000000102';
	const setup = await projectWithCharacter(world, { guildId });
	await drawn(setup, guildId, 2);
	await drawn(setup, guildId, 1);
	// The oldest of the three was drawn 23 hours ago: a slot frees up in an hour.
	const db = world.bot.database.db;
	const oldest = await db.drawing.findFirstOrThrow({ where: { ownerId: setup.userId }, orderBy: { createdAt: 'asc' } });
	const freeAt = Date.now() + 60 * 60_000;
	// The limits count the ledger's row of each drawing (src/accounts/ledger.ts), made when it was admitted.
	await db.usageEntry.update({ where: { drawingId: oldest.id }, data: { createdAt: new Date(freeAt - 24 * 60 * 60_000) } });

	const content = await refused(setup, guildId);
	expect(content).toContain('3 panels in the last 24 hours');
	const at = Number(/<t:(\d+):R>/.exec(content)?.[1]);
	expect(Math.abs(at * 1000 - freeAt)).toBeLessThan(5_000);
});

test('a server that reached its daily limit refuses further panels, privately, and says when', async () => {
	const guildId = '200000000000000103';
	const [first, second] = await Promise.all([projectWithCharacter(world, { guildId }), projectWithCharacter(world, { guildId, userId: newUserId() })]);
	if (!first || !second) throw new Error('setup failed');
	await Promise.all([drawn(first, guildId, 2), drawn(second, guildId, 2)]);

	const content = await refused(second, guildId);
	expect(content).toContain('This server has drawn 4 panels');
	expect(content).toMatch(/<t:\d+:R>/);

	// Another server is not affected.
	const elsewhere = await projectWithCharacter(world, { guildId: '200000000000000104' });
	const sent = drawPanel(world, elsewhere, 'somewhere else', { guildId: '200000000000000104' });
	await waitForPanel(world, sent.id, (panel) => panel.status === 'ready');
});

test('no message of the bot pinged anyone', () => {
	expectNoPings(world.discord);
});
