import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { AckGate } from '../../src/discord/ackGate.ts';
import type { FakeMessage } from '../fakes/discord.ts';
import { drawPanel, newUserId, projectWithCharacter, waitForPanel, type Setup } from './support/panels.ts';
import { startWorld, type World } from '../world.ts';

// Many commands at the same instant: the bot acknowledges first and checks afterwards, so refusals
// must still end up private (the public "thinking…" withdrawn) and nothing of them stored.
let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world?.close();
});

/** Every message an interaction produced that is still there. */
function messagesOf(interactionId: string): FakeMessage[] {
	return [...world.discord.messages.values()].filter((message) => message.interactionId === interactionId && !message.deleted);
}

test('in a burst, every command is acknowledged; refusals end up private with nothing stored, the rest are drawn', async () => {
	const drawers: Setup[] = [];
	for (let index = 0; index < 3 * AckGate.CROWD; index++) drawers.push(await projectWithCharacter(world));
	const strangers = Array.from({ length: AckGate.CROWD }, () => newUserId());
	const panelsBefore = await world.bot.database.db.panel.count();
	const submissionsBefore = world.orchestrator.submissions.length;

	// Refusals in the middle and at the end of the burst, where the bot is busiest.
	const drawn = drawers.slice(0, 2 * AckGate.CROWD).map((setup, index) => drawPanel(world, setup, `burst panel ${index}`));
	const refused = strangers.map((userId) =>
		world.discord.sendCommand({ userId, subcommand: 'panel', options: { project: 'No Such Project', prompt: 'nothing', enhance: false } }),
	);
	drawn.push(...drawers.slice(2 * AckGate.CROWD).map((setup, index) => drawPanel(world, setup, `late burst panel ${index}`)));

	for (const sent of refused) {
		const [message] = await world.discord.waitFor(() => {
			const left = messagesOf(sent.id);
			return left.length === 1 && left[0]?.content.includes('No Such Project') ? left : undefined;
		});
		expect(message?.ephemeral).toBe(true);
		expect(message?.allowed_mentions).toEqual({ parse: [] });
	}
	// The burst path was taken: some refusals were acknowledged publicly first, then withdrawn.
	const withdrawn = refused.filter((sent) => world.discord.callbacks.get(sent.id)?.[0]?.type === 5);
	expect(withdrawn.length).toBeGreaterThan(0);
	for (const sent of withdrawn) expect(world.discord.originalMessage(sent.id)?.deleted).toBe(true);

	for (const sent of drawn) {
		await waitForPanel(world, sent.id, (panel) => panel.status === 'ready' && panel.delivery === 'delivered');
		const [message, ...others] = messagesOf(sent.id);
		expect(others).toEqual([]);
		expect(message?.ephemeral).toBe(false);
		expect(message?.attachments.length).toBe(1);
	}
	expect(await world.bot.database.db.panel.count()).toBe(panelsBefore + drawn.length);
	expect(world.orchestrator.submissions.length).toBe(submissionsBefore + drawn.length);
	for (const sent of [...drawn, ...refused]) expect(world.discord.callbacks.get(sent.id)?.length).toBe(1);
});

test('a refusal whose public acknowledgement cannot be withdrawn is said in it instead of leaving it "thinking"', async () => {
	const drawers: Setup[] = [];
	for (let index = 0; index <= AckGate.CROWD; index++) drawers.push(await projectWithCharacter(world));
	const drawn = drawers.map((setup, index) => drawPanel(world, setup, `crowd ${index}`));
	const refused = world.discord.sendCommand({
		userId: newUserId(),
		subcommand: 'panel',
		options: { project: 'Gone Project', prompt: 'nothing', enhance: false },
	});
	world.discord.failNext({ method: 'DELETE', path: new RegExp(`/${refused.token}/`) }, { status: 500, times: 10 });

	const shown = await world.waitForOriginal(refused.id, (message) => message.content.includes('Gone Project'));
	expect(world.discord.callbacks.get(refused.id)?.map((callback) => callback.type)).toEqual([5]);
	expect(shown.deleted).toBe(false);
	expect(messagesOf(refused.id)).toEqual([shown]);
	expect(world.logs.some((line) => line.includes('could not withdraw a public acknowledgement'))).toBe(true);
	for (const sent of drawn) await waitForPanel(world, sent.id, (panel) => panel.status === 'ready' && panel.delivery === 'delivered');
});

test('one command alone is checked before its acknowledgement: a refusal is a plain private reply', async () => {
	const sent = await world.command({ userId: newUserId(), subcommand: 'panel', options: { project: 'No Such Project', prompt: 'nothing' } });
	expect(world.discord.callbacks.get(sent.id)?.map((callback) => callback.type)).toEqual([4]);
	expect(sent.reply.ephemeral).toBe(true);
});

// Only PostgreSQL lets a test hold the bot's reads back (a table lock); CI runs the suite on it too.
test.skipIf(!process.env.TEST_DATABASE_URL)(
	'checks slower than CHECKS_BEFORE_ACK_MS go on after the acknowledgement: a refusal is withdrawn, a good panel is drawn',
	async () => {
		const setup = await projectWithCharacter(world);
		const locker = new pg.Client({ connectionString: world.config.DATABASE_URL });
		await locker.connect();
		try {
			await locker.query('BEGIN');
			await locker.query('LOCK TABLE "Project" IN ACCESS EXCLUSIVE MODE');
			const good = drawPanel(world, setup, 'a slow database');
			const bad = world.discord.sendCommand({
				userId: newUserId(),
				subcommand: 'panel',
				options: { project: 'No Such Project', prompt: 'nothing', enhance: false },
			});
			// Acknowledged while the checks still wait for the database.
			await world.discord.waitFor(() => [good, bad].every((sent) => world.discord.callbacks.get(sent.id)?.[0]?.type === 5) || undefined, 2_500);
			await locker.query('COMMIT');

			const [refusal, ...others] = await world.discord.waitFor(() => {
				const left = messagesOf(bad.id);
				return left[0]?.content.includes('No Such Project') ? left : undefined;
			});
			expect(others).toEqual([]);
			expect(refusal?.ephemeral).toBe(true);
			expect(world.discord.originalMessage(bad.id)?.deleted).toBe(true);
			await waitForPanel(world, good.id, (panel) => panel.status === 'ready' && panel.delivery === 'delivered');
		} finally {
			await locker.query('ROLLBACK').catch(() => undefined);
			await locker.end();
		}
	},
);
