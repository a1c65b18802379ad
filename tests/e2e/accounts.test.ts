import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ModalInput } from '../fakes/discord.ts';
import { startWorld, type World } from '../world.ts';
import { drawPanel, expectNoPings, newUserId, projectWithCharacter, waitForFailure, waitForPanel } from './support/panels.ts';

// Manage Server (0x20) on top of the fake's default member permissions, which lack it.
const ADMIN = (2248473465835073n | 0x20n).toString();
/** Shaped like a real Civitai key: 32 hex characters. */
const newKey = (): string => randomBytes(16).toString('hex');

let world: World;
const keys: string[] = [];
beforeAll(async () => {
	world = await startWorld({
		LOG_LEVEL: 'trace',
		ENCRYPTION_KEY: randomBytes(32).toString('base64'),
		PORT: '0',
		HOST: '127.0.0.1',
		MAX_PANELS_PER_USER_PER_DAY: '20',
	});
});
afterAll(async () => {
	await world?.close();
});

/** Sends a modal submission and returns the bot's (private) answer once it is written. */
async function submitModal(input: ModalInput): Promise<{ content: string; ephemeral: boolean }> {
	const sent = world.discord.sendModalSubmit(input);
	const message = await world.waitForOriginal(sent.id, (original) => original.content.length > 0);
	return { content: message.content, ephemeral: message.ephemeral };
}

/** `/comic account link`, then the modal with `key`; the orchestrator accepts the key unless told not to. */
async function link(userId: string, key: string, options: { accept?: boolean; legacyRows?: boolean } = {}) {
	keys.push(key);
	if (options.accept !== false) world.orchestrator.keys.add(key);
	const opened = world.discord.sendCommand({ userId, group: 'account', subcommand: 'link' });
	const modal = await world.discord.waitFor(() => world.discord.modalOf(opened.id));
	expect(modal.custom_id).toBe('account-link');
	return submitModal({ userId, customId: String(modal.custom_id), fields: { api_key: key }, legacyRows: options.legacyRows ?? false });
}

async function reply(input: Parameters<World['command']>[0]): Promise<{ content: string; ephemeral: boolean }> {
	const { reply: message } = await world.command(input);
	return { content: message.content, ephemeral: message.ephemeral };
}

test('/comic account link opens a modal with one text input api_key, in a Label', async () => {
	const opened = world.discord.sendCommand({ userId: newUserId(), group: 'account', subcommand: 'link' });
	const modal = await world.discord.waitFor(() => world.discord.modalOf(opened.id));
	expect(JSON.stringify(modal.components)).toContain('"custom_id":"api_key"');
	expect(modal.components).toEqual([expect.objectContaining({ type: 18, component: expect.objectContaining({ type: 4, custom_id: 'api_key' }) })]);
});

test('a linked key is checked, stored only as ciphertext, and pays for the user’s panels: submit, reads and download', async () => {
	const key = newKey();
	const setup = await projectWithCharacter(world);
	const before = world.orchestrator.calls.length;
	const answer = await link(setup.userId, key);
	expect(answer.ephemeral).toBe(true);
	expect(answer.content).toContain('linked');
	// One cheap call made with the key itself.
	expect(world.orchestrator.calls.slice(before)).toEqual([{ method: 'GET', path: '/v2/consumer/workflows', key }]);

	const row = await world.bot.database.db.userKey.findUniqueOrThrow({ where: { userId: setup.userId } });
	expect(JSON.stringify(row)).not.toContain(key);
	expect(Buffer.from(row.ciphertext, 'base64').toString('latin1')).not.toContain(key);
	expect(row.keyVersion).toMatch(/^[0-9a-f]{8}$/);

	const sent = drawPanel(world, setup, 'paid with my own Buzz');
	const panel = await waitForPanel(world, sent.id, (found) => found.status === 'ready' && found.delivery === 'delivered');
	const forWorkflow = world.orchestrator.calls.filter((call) => call.path === '/v2/consumer/workflows' || call.path.endsWith(panel.workflowId ?? '?'));
	expect(forWorkflow.filter((call) => call.method === 'POST').map((call) => call.key)).toEqual([key]);
	expect(forWorkflow.every((call) => call.key === key)).toBe(true);
	expect(world.orchestrator.workflows.get(panel.workflowId ?? '')?.key).toBe(key);

	const spend = await world.bot.database.db.spend.findMany({ where: { panelId: panel.panelId } });
	expect(spend).toEqual([expect.objectContaining({ userId: setup.userId, buzz: 10, paidBy: 'user', workflowId: panel.workflowId })]);

	const status = await reply({ userId: setup.userId, group: 'account', subcommand: 'status' });
	expect(status.ephemeral).toBe(true);
	expect(status.content).toContain('linked since <t:');
	expect(status.content).toContain('1 panel (10 Buzz)');
	expect(status.content).not.toContain(key.slice(0, 6));
	expect(status.content).not.toContain(key.slice(-6));
});

test('a user without a key draws with the bot’s key; the legacy action-row modal shape works too', async () => {
	const setup = await projectWithCharacter(world);
	const sent = drawPanel(world, setup, 'on the house');
	const panel = await waitForPanel(world, sent.id, (found) => found.status === 'ready');
	expect(world.orchestrator.workflows.get(panel.workflowId ?? '')?.key).toBe(world.orchestrator.token);
	await expect.poll(() => world.bot.database.db.spend.findFirst({ where: { panelId: panel.panelId } })).toMatchObject({ paidBy: 'bot' });

	const answer = await link(setup.userId, newKey(), { legacyRows: true });
	expect(answer.content).toContain('linked');
});

test('a key the orchestrator later rejects fails the panel with "link it again", and nothing falls back to the bot’s key', async () => {
	const key = newKey();
	const setup = await projectWithCharacter(world);
	await link(setup.userId, key);
	world.orchestrator.keys.delete(key);
	const botCalls = world.orchestrator.calls.filter((call) => call.key === world.orchestrator.token).length;
	const sent = drawPanel(world, setup, 'revoked meanwhile');
	const { footer, panel } = await waitForFailure(world, sent.id);
	expect(footer).toContain('Your Civitai key was rejected; link it again');
	expect(panel.failureReason).toContain('/comic account link');
	expect(world.orchestrator.calls.filter((call) => call.key === world.orchestrator.token).length).toBe(botCalls);
});

test('a key rejected while its panel is being drawn fails the panel at the next read, without the bot’s key', async () => {
	const key = newKey();
	const setup = await projectWithCharacter(world);
	await link(setup.userId, key);
	world.orchestrator.behaviour = () => ({ durationMs: Infinity });
	try {
		const sent = drawPanel(world, setup, 'revoked while drawing');
		const panel = await waitForPanel(world, sent.id, (found) => found.status === 'generating');
		world.orchestrator.keys.delete(key);
		const { footer } = await waitForFailure(world, sent.id, 30_000);
		expect(footer).toContain('Your Civitai key was rejected; link it again');
		const reads = world.orchestrator.calls.filter((call) => call.path.endsWith(panel.workflowId ?? '?'));
		expect(reads.length).toBeGreaterThan(0);
		expect(reads.every((call) => call.key === key)).toBe(true);
	} finally {
		world.orchestrator.behaviour = () => ({});
	}
});

test('whose key pays is fixed when the drawing is created: a key linked or unlinked meanwhile does not move it', async () => {
	const setup = await projectWithCharacter(world);
	world.orchestrator.behaviour = () => ({ durationMs: Infinity });
	try {
		// Started with the bot's key, then the user links one: the drawing stays the bot's to the end.
		const first = drawPanel(world, setup, 'started on the house');
		const onBot = await waitForPanel(world, first.id, (found) => found.status === 'generating');
		expect(onBot.paidBy).toBe('bot');
		const key = newKey();
		await link(setup.userId, key);
		world.orchestrator.complete(onBot.workflowId ?? '');
		const done = await waitForPanel(world, first.id, (found) => found.status === 'ready');
		const reads = world.orchestrator.calls.filter((call) => call.path.endsWith(done.workflowId ?? '?'));
		expect(reads.length).toBeGreaterThan(0);
		expect(reads.every((call) => call.key === world.orchestrator.token)).toBe(true);
		await expect.poll(() => world.bot.database.db.spend.findFirst({ where: { workflowId: done.workflowId } })).toMatchObject({ paidBy: 'bot' });

		// Started with the user's key, then unlinked: it fails, and the bot's key is never used for it.
		const second = drawPanel(world, setup, 'started on my key');
		const onUser = await waitForPanel(world, second.id, (found) => found.status === 'generating');
		expect(onUser.paidBy).toBe('user');
		await reply({ userId: setup.userId, group: 'account', subcommand: 'unlink' });
		world.orchestrator.complete(onUser.workflowId ?? '');
		const { footer } = await waitForFailure(world, second.id, 30_000);
		expect(footer).toContain('link it again');
		expect(world.orchestrator.calls.filter((call) => call.path.endsWith(onUser.workflowId ?? '?') && call.key === world.orchestrator.token)).toEqual([]);
	} finally {
		world.orchestrator.behaviour = () => ({});
	}
});

test('a linked key the bot can no longer read (another ENCRYPTION_KEY) fails the panel instead of using the bot’s key', async () => {
	const setup = await projectWithCharacter(world);
	await link(setup.userId, newKey());
	await world.bot.database.db.userKey.update({ where: { userId: setup.userId }, data: { keyVersion: '00000000' } });
	const submissions = world.orchestrator.submissions.length;
	const sent = drawPanel(world, setup, 'sealed with a key we lost');
	const { footer } = await waitForFailure(world, sent.id);
	expect(footer).toContain('link it again');
	expect(world.orchestrator.submissions.length).toBe(submissions);
});

test('bad keys get a plain private answer and nothing is stored', async () => {
	const userId = newUserId();
	const count = () => world.bot.database.db.userKey.count({ where: { userId } });
	const spaced = await link(userId, 'abcd1234 abcd1234abcd1234abcd1234', { accept: false });
	expect(spaced).toEqual({ content: expect.stringContaining('no spaces'), ephemeral: true });
	const short = await link(userId, 'abc', { accept: false });
	expect(short.content).toContain('does not look like a Civitai API key');
	const rejected = await link(userId, newKey(), { accept: false });
	expect(rejected.content).toContain('was not accepted');

	world.orchestrator.failNext({ method: 'GET', path: /^\/v2\/consumer\/workflows$/ }, { status: 503 });
	const down = await link(userId, newKey());
	expect(down.content).toContain('try again in a few minutes');
	expect(down.content).toContain('nothing was stored');
	expect(await count()).toBe(0);
});

test('unlink deletes the key; status then says none is linked', async () => {
	const userId = newUserId();
	await link(userId, newKey());
	expect((await reply({ userId, group: 'account', subcommand: 'unlink' })).content).toContain('deleted');
	expect(await world.bot.database.db.userKey.count({ where: { userId } })).toBe(0);
	expect((await reply({ userId, group: 'account', subcommand: 'status' })).content).toContain('not linked');
	expect((await reply({ userId, group: 'account', subcommand: 'unlink' })).content).toContain('nothing to delete');
});

test('/comic settings: admins only, ranges checked, shown with no option, not in DMs', async () => {
	const guildId = '200000000000000501';
	const member = await reply({ guildId, subcommand: 'settings', options: { shared_key: false } });
	expect(member).toEqual({ content: expect.stringContaining('Manage Server'), ephemeral: true });
	expect((await reply({ guildId: null, subcommand: 'settings' })).content).toContain('belong to a server');
	const tooMany = await reply({ guildId, memberPermissions: ADMIN, subcommand: 'settings', options: { server_daily_limit: 20_000 } });
	expect(tooMany).toEqual({ content: expect.stringContaining('0 to 10000'), ephemeral: true });
	expect(await world.bot.database.db.guildSettings.count({ where: { guildId } })).toBe(0);

	const saved = await reply({ guildId, memberPermissions: ADMIN, subcommand: 'settings', options: { user_daily_limit: 5, enhance_default: false } });
	expect(saved.content).toContain('Saved');
	const shown = await reply({ guildId, memberPermissions: ADMIN, subcommand: 'settings' });
	expect(shown.content).toContain('`user_daily_limit`: 5 panels per member per day');
	expect(shown.content).toContain('`enhance_default`: off');
	expect(shown.content).toContain('`shared_key`: on');
});

test('server settings apply at once: no shared key without one’s own, a lower daily limit, enhance off by default', async () => {
	const guildId = '200000000000000502';
	const setup = await projectWithCharacter(world, { guildId });
	await reply({ guildId, memberPermissions: ADMIN, subcommand: 'settings', options: { shared_key: false, user_daily_limit: 1, enhance_default: false } });

	const refused = await world.command({ userId: setup.userId, guildId, subcommand: 'panel', options: { project: setup.project, prompt: 'no key' } });
	expect(refused.reply.ephemeral).toBe(true);
	expect(refused.reply.content).toContain('/comic account link');

	await link(setup.userId, newKey());
	const sent = world.discord.sendCommand({ userId: setup.userId, guildId, subcommand: 'panel', options: { project: setup.project, prompt: 'my key now' } });
	const panel = await waitForPanel(world, sent.id, (found) => found.status === 'ready');
	expect(panel.paidBy).toBe('user');
	expect(await world.bot.database.db.panel.findUniqueOrThrow({ where: { id: panel.panelId } })).toMatchObject({ enhance: false });

	const second = await world.command({ userId: setup.userId, guildId, subcommand: 'panel', options: { project: setup.project, prompt: 'over the limit' } });
	expect(second.reply.content).toContain('1 panels in the last 24 hours');
});

test('/comic usage: one’s own panels and Buzz, a member’s for admins, the server’s top users, plain answers otherwise', async () => {
	const guildId = '200000000000000503';
	const setup = await projectWithCharacter(world, { guildId });
	const sent = drawPanel(world, setup, 'counted', { guildId });
	const panel = await waitForPanel(world, sent.id, (found) => found.status === 'ready');
	await expect.poll(() => world.bot.database.db.spend.count({ where: { panelId: panel.panelId } })).toBe(1);

	const mine = await reply({ userId: setup.userId, guildId, subcommand: 'usage' });
	expect(mine.ephemeral).toBe(true);
	expect(mine.content).toContain('last 24 hours: 1 panel, 10 Buzz');
	expect(mine.content).toContain('last 30 days: 1 panel, 10 Buzz');
	expect(mine.content).not.toContain('This server');

	expect((await reply({ userId: newUserId(), guildId, subcommand: 'usage' })).content).toContain('no panels');
	const snooping = await reply({ guildId, subcommand: 'usage', users: { user: setup.userId } });
	expect(snooping.content).toContain('Manage Server');

	const asked = await reply({ guildId, memberPermissions: ADMIN, subcommand: 'usage', users: { user: setup.userId } });
	expect(asked.content).toContain(`<@${setup.userId}> on this server`);
	expect(asked.content).toContain('1 panel, 10 Buzz');
	const nobody = await reply({ guildId, memberPermissions: ADMIN, subcommand: 'usage', users: { user: newUserId() } });
	expect(nobody.content).toContain('has drawn no panels on this server');

	const server = await reply({ guildId, memberPermissions: ADMIN, subcommand: 'usage' });
	expect(server.content).toContain('Top members');
	expect(server.content).toContain(`1. <@${setup.userId}>: 1 panel, 10 Buzz`);
});

test('no key ever reaches a log line, a Discord message or /metrics', async () => {
	expect(keys.length).toBeGreaterThan(3);
	const logs = world.logs.join('');
	const discord = JSON.stringify(world.discord.requests.map((request) => request.json ?? null)) + JSON.stringify([...world.discord.messages.values()]);
	const metrics = await (await fetch(`${world.bot.http?.url ?? ''}/metrics`)).text();
	for (const key of keys.filter((candidate) => candidate.length >= 20)) {
		expect(logs).not.toContain(key);
		expect(discord).not.toContain(key);
		expect(metrics).not.toContain(key);
	}
	expectNoPings(world.discord);
});

test('without ENCRYPTION_KEY linking is refused with a word for the operator, and no modal opens', async () => {
	const plain = await startWorld();
	try {
		const { reply: message, id } = await plain.command({ group: 'account', subcommand: 'link' });
		expect(message.ephemeral).toBe(true);
		expect(message.content).toContain('ENCRYPTION_KEY');
		expect(plain.discord.modalOf(id)).toBeUndefined();
	} finally {
		await plain.close();
	}
});
