// Free but expensive work is bounded (renders at once, word changes per user), and a delivery that must
// fetch its picture again waits out the orchestrator's Retry-After.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { pressButton, startWorld, type World } from '../world.ts';
import { drawRealPictures, messagesOf, readyPanel } from './support/comic.ts';
import { drawPanel, projectWithCharacter, waitForPanel } from './support/panels.ts';

let world: World;
let picture: Buffer;
beforeAll(async () => {
	world = await startWorld({ PANEL_PROGRESS: 'off', RERENDER_COOLDOWN_SECONDS: '60', MAX_CONCURRENT_RENDERS: '1', RENDER_WAIT_SECONDS: '0' });
	picture = await drawRealPictures(world);
});
afterAll(async () => {
	await world?.close();
});

test('a second change of words within the cooldown is refused plainly, saying when to try again, and stores nothing', async () => {
	const setup = await projectWithCharacter(world);
	await readyPanel(world, setup, 'a bridge at dusk', { caption: 'Dusk.' });
	const change = async (caption: string) => {
		const { id } = await world.command({ userId: setup.userId, group: 'panels', subcommand: 'text', options: { project: setup.project, panel: 1, caption } });
		return world.waitForOriginal(id, (message) => message.content !== '');
	};
	expect((await change('Night.')).content).toContain('New words');
	const refused = await change('Morning.');
	expect(refused.ephemeral).toBe(true);
	expect(refused.content).toMatch(/Try again in \d+ s/);
	const panel = await world.bot.database.db.panel.findFirstOrThrow({ where: { ownerId: setup.userId } });
	expect(panel.caption).toBe('Night.');
});

test('with every render slot taken, a reader page is refused with "busy, try again in N s"; once free it renders', async () => {
	const owner = await projectWithCharacter(world);
	await readyPanel(world, owner, 'a tower in the rain');
	const reader = await projectWithCharacter(world);
	await readyPanel(world, reader, 'a train at noon');

	// The owner's export holds the one slot while Discord takes its time with the files.
	const exporting = world.discord.sendCommand({ userId: owner.userId, subcommand: 'export', options: { project: owner.project } });
	world.discord.stallNext({ method: 'PATCH', path: new RegExp(`/${exporting.token}/messages/@original`) }, 4_000);
	await world.discord.waitFor(
		() => world.discord.requests.some((request) => request.method === 'PATCH' && request.path.includes(exporting.token)) || undefined,
	);

	const busy = await world.command({ userId: reader.userId, subcommand: 'read', options: { project: reader.project } });
	const told = await world.discord.waitFor(() => messagesOf(world, busy.id).find((message) => /busy/.test(message.content)));
	expect(told.content).toMatch(/try again in \d+ s/i);
	expect(told.attachments).toHaveLength(0);

	await world.waitForOriginal(exporting.id, (message) => message.attachments.length > 0, 20_000);
	const later = await world.command({ userId: reader.userId, subcommand: 'read', options: { project: reader.project } });
	await world.waitForOriginal(later.id, (message) => message.attachments.length === 1, 20_000);
});

test('a delivery whose picture is not on this host fetches it again, and on a 429 waits out its Retry-After', async () => {
	world.orchestrator.behaviour = () => ({ durationMs: Number.POSITIVE_INFINITY });
	const setup = await projectWithCharacter(world);
	const sent = drawPanel(world, setup, 'a ferry crossing');
	const generating = await waitForPanel(world, sent.id, (row) => row.status === 'generating' && row.workflowId !== null);
	await world.waitForOriginal(sent.id, (message) => JSON.stringify(message.embeds).length > 2);

	// The first delivery fails at Discord; before its retry, the picture is gone from this host (another
	// process kept it), and the orchestrator answers the next read of the workflow with a 429.
	// 500 four times: discord.js tries a 5xx three more times itself.
	world.discord.failNext({ method: 'PATCH', path: new RegExp(`/${sent.token}/`) }, { status: 500, times: 4 });
	world.orchestrator.complete(generating.workflowId ?? '', 'succeeded');
	const failed = await waitForPanel(world, sent.id, (row) => row.status === 'ready' && row.deliveryError !== null);
	const take = await world.bot.database.db.take.findFirstOrThrow({ where: { drawingId: failed.id } });
	world.orchestrator.failNext(
		{ method: 'GET', path: new RegExp(`/workflows/${generating.workflowId}$`) },
		{ status: 429, headers: { 'retry-after': '4' }, body: { title: 'Too Many Requests' } },
	);
	await rm(join(world.config.DATA_DIR, 'panels', take.imagePath), { force: true });

	const delivered = await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1, 30_000);
	expect(delivered.attachments).toHaveLength(1);
	const limited = world.orchestrator.requests.filter(
		(request) => request.method === 'GET' && request.path.endsWith(`/${generating.workflowId}`) && request.status === 429,
	);
	expect(limited).toHaveLength(1);
	expect(world.orchestrator.earlyRequests.filter((early) => early.kind.startsWith('GET /v2/consumer/workflows/'))).toEqual([]);
});

test('a reader press plans pages from the sizes stored on the takes and loads only the pictures of its page', async () => {
	world.orchestrator.behaviour = () => ({ durationMs: 30, outcome: 'succeeded', image: picture });
	const setup = await projectWithCharacter(world);
	for (let i = 1; i <= 5; i++) await readyPanel(world, setup, `a market stall ${i}`);
	const db = world.bot.database.db;
	const takes = await db.take.findMany({ where: { panel: { ownerId: setup.userId } }, include: { panel: { select: { number: true } } } });
	const posted = await world.command({ userId: setup.userId, subcommand: 'read', options: { project: setup.project } });
	const reader = await world.waitForOriginal(posted.id, (message) => message.attachments.length === 1, 20_000);
	expect(reader.content).toContain('Page 1 of 2');

	// Page 1's pictures (panels 1-4) are no longer on this host; panel 5's size was never stored (a take
	// kept before sizes were): it is measured once and kept on its row.
	const firstPage = takes.filter((take) => take.panel.number <= 4);
	await Promise.all(firstPage.map((take) => rm(join(world.config.DATA_DIR, 'panels', take.imagePath), { force: true })));
	const fifth = takes.find((take) => take.panel.number === 5);
	await db.take.updateMany({ where: { id: fifth?.id ?? '' }, data: { width: null, height: null } });
	const readsBefore = world.orchestrator.requests.length;

	const next = (reader.components as { components: { custom_id: string }[] }[])[0]?.components[1]?.custom_id ?? '';
	await pressButton(world, { customId: next, messageId: reader.id, userId: '100000000000007773' });
	await world.discord.waitFor(() => world.discord.messages.get(reader.id)?.content.includes('Page 2 of 2') || undefined);
	// Nothing of page 1 was fetched again (it would have been, to measure or letter it).
	const workflowsOfPage1 = new Set(firstPage.map((take) => take.workflowId));
	const refetched = world.orchestrator.requests.slice(readsBefore).filter((request) => workflowsOfPage1.has(request.path.split('/').pop() ?? ''));
	expect(refetched).toEqual([]);
	expect(await db.take.findUniqueOrThrow({ where: { id: fifth?.id ?? '' }, select: { width: true, height: true } })).toEqual({ width: 832, height: 1216 });
});
