// A user-paid picture kept on another host's disk is fetched again with the user's key, never the bot's:
// the orchestrator shows a workflow only to the key that made it (the fake answers the bot's key 404).
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startWorld, type World } from '../world.ts';
import { drawRealPictures, messagesOf, readyPanel } from './support/comic.ts';
import { projectWithCharacter } from './support/panels.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld({ ENCRYPTION_KEY: randomBytes(32).toString('base64') });
	await drawRealPictures(world);
});
afterAll(async () => {
	await world?.close();
});

async function link(userId: string): Promise<string> {
	const key = randomBytes(16).toString('hex');
	world.orchestrator.keys.add(key);
	const opened = world.discord.sendCommand({ userId, group: 'account', subcommand: 'link' });
	const modal = await world.discord.waitFor(() => world.discord.modalOf(opened.id));
	const sent = world.discord.sendModalSubmit({ userId, customId: String(modal.custom_id), fields: { api_key: key } });
	await world.waitForOriginal(sent.id, (message) => message.content.length > 0);
	return key;
}

test("export and new words on a user-paid panel whose file is gone fetch it again with the user's key", async () => {
	const setup = await projectWithCharacter(world);
	const key = await link(setup.userId);
	const shown = await readyPanel(world, setup, 'a lighthouse at dawn', { caption: 'Morning.' });
	const db = world.bot.database.db;
	const take = await db.take.findFirstOrThrow({ where: { panel: { ownerId: setup.userId } }, include: { drawing: { select: { paidBy: true } } } });
	expect(take.drawing.paidBy).toBe('user');
	const files = () => [take.imagePath, take.letteredPath ?? ''].map((name) => rm(join(world.config.DATA_DIR, 'panels', name), { force: true }));
	const readsOf = (bearer: string) =>
		world.orchestrator.calls.filter((call) => call.key === bearer && call.method === 'GET' && call.path.endsWith(take.workflowId)).length;

	// Kept on another host: this one has neither the plain nor the lettered file.
	await Promise.all(files());
	const exported = await world.command({ userId: setup.userId, subcommand: 'export', options: { project: setup.project } });
	const first = await world.waitForOriginal(exported.id, (message) => message.attachments.length > 0 || message.content !== '', 30_000);
	expect(first.content).not.toContain('not ready');
	expect(messagesOf(world, exported.id).flatMap((message) => message.attachments).length).toBeGreaterThan(0);

	await Promise.all(files());
	const text = await world.command({
		userId: setup.userId,
		group: 'panels',
		subcommand: 'text',
		options: { project: setup.project, panel: 1, caption: 'Evening.' },
	});
	const answer = await world.waitForOriginal(text.id, (message) => message.content !== '');
	expect(answer.content).toContain('Its message shows the new lettering');
	expect(world.discord.messages.get(shown.id)?.attachments).toHaveLength(1);

	expect(readsOf(key)).toBeGreaterThanOrEqual(2);
	expect(readsOf(world.orchestrator.token)).toBe(0);
});
