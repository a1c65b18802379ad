import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startBot } from '../../src/app.ts';
import { answerOf, buttonOf, press, readyPanel, textOf } from './support/actions.ts';
import { projectWithCharacter } from './support/panels.ts';
import { startWorld, type World } from '../world.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world?.close();
});

test('a panel drawn before a restart: its buttons work on the next process (same DATA_DIR and database), no collector needed', async () => {
	const setup = await projectWithCharacter(world);
	const { id, message } = await readyPanel(world, setup, 'before the restart', 2);
	const ids = { use: buttonOf(message, 'Use 2').customId, details: buttonOf(message, 'Details').customId, redraw: buttonOf(message, 'Redraw').customId };

	await world.bot.stop();
	const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
	const next = await startBot(world.config, { logDestination: sink });
	try {
		await world.discord.waitFor(() => world.discord.connections > 0 || undefined);
		const db = next.database.db;
		const used = world.discord.sendButton({ customId: ids.use, messageId: message.id, userId: setup.userId });
		await world.discord.waitFor(() => world.discord.callbacks.get(used.id)?.[0]);
		const drawing = await db.drawing.findFirstOrThrow({ where: { interactionId: id } });
		expect((await db.take.findFirstOrThrow({ where: { panelId: drawing.panelId, chosen: true } })).index).toBe(2);

		const details = world.discord.sendButton({ customId: ids.details, messageId: message.id, userId: setup.userId });
		expect(textOf(await answerOf(world, details.id))).toContain(drawing.workflowId ?? 'missing');

		const redraw = world.discord.sendButton({ customId: ids.redraw, messageId: message.id, userId: setup.userId });
		const redrawn = await world.waitForOriginal(redraw.id, (reply) => reply.attachments.length === 2, 20_000);
		expect(redrawn.id).not.toBe(message.id);
		// The redrawn panel's own buttons work too.
		const again = await press(world, redrawn, 'Details', setup.userId);
		expect((await answerOf(world, again.id)).ephemeral).toBe(true);
	} finally {
		await next.stop();
	}
});
