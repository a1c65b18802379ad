import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { REST } from '@discordjs/rest';
import { comicGuildCommand } from '../../commands/definitions/comic.ts';
import { parseConfig } from '../../src/config.ts';
import { deployCommands } from '../../src/deployCommands.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord.ts';

let discord: FakeDiscord;
beforeAll(async () => {
	discord = await startFakeDiscord();
});
afterAll(async () => {
	await discord?.close();
});

const config = (env: Record<string, string> = {}) =>
	parseConfig({ DISCORD_TOKEN: discord.botToken, CIVITAI_API_TOKEN: 'unused', DISCORD_API_URL: discord.apiUrl, ...env });

interface Option {
	name: string;
	type: number;
	required?: boolean;
	autocomplete?: boolean;
	options?: Option[];
}

test('deploy-commands registers /comic with every subcommand of the contract to the guild when DISCORD_GUILD_ID is set', async () => {
	const result = await deployCommands(config({ DISCORD_GUILD_ID: '200000000000000001' }));
	expect(result).toEqual({ scope: 'guild 200000000000000001', count: 2 });
	const registered = discord.registeredCommands.find((entry) => entry.scope === '200000000000000001');
	const [comic, message] = (registered?.commands ?? []) as { name: string; type: number; options: Option[] }[];
	expect(comic?.name).toBe('comic');
	// Next to /comic, the message command of a message's Apps menu (type 3: no description, no options).
	expect(message).toMatchObject({ type: 3, name: 'Make a character' });
	expect(message).not.toHaveProperty('options');
	const paths = (comic?.options ?? []).flatMap((option) =>
		option.type === 2 ? (option.options ?? []).map((sub) => `${option.name} ${sub.name}`) : [option.name],
	);
	expect(paths.sort()).toEqual([
		'account link',
		'account status',
		'account unlink',
		'character add',
		'character list',
		'character pictures',
		'character remove',
		'export',
		'members add',
		'members list',
		'members remove',
		'panel',
		'panels delete',
		'panels move',
		'panels text',
		'project create',
		'project delete',
		'project edit',
		'project list',
		'project show',
		'publish',
		'read',
		'settings',
		'story',
		'usage',
	]);

	const panel = comic?.options.find((option) => option.name === 'panel');
	const byName = new Map((panel?.options ?? []).map((option) => [option.name, option]));
	expect(byName.get('project')).toMatchObject({ type: 3, required: true, autocomplete: true });
	expect(byName.get('prompt')).toMatchObject({ type: 3, required: true, max_length: 1000 });
	expect(byName.get('character')).toMatchObject({ type: 3, autocomplete: true });
	expect(byName.get('character')?.required).toBeFalsy();
	expect(byName.get('enhance')).toMatchObject({ type: 5 });
	expect(byName.get('caption')).toMatchObject({ type: 3, max_length: 300 });
	expect(byName.get('dialogue')).toMatchObject({ type: 3, max_length: 600 });

	const settings = new Map((comic?.options.find((option) => option.name === 'settings')?.options ?? []).map((option) => [option.name, option]));
	expect(settings.get('shared_key')).toMatchObject({ type: 5 });
	expect(settings.get('server_daily_limit')).toMatchObject({ type: 4, min_value: 0, max_value: 10_000 });
	expect(settings.get('user_daily_limit')).toMatchObject({ type: 4, min_value: 1, max_value: 1_000 });
	expect(settings.get('enhance_default')).toMatchObject({ type: 5 });
	const usage = comic?.options.find((option) => option.name === 'usage')?.options ?? [];
	expect(usage).toEqual([expect.objectContaining({ name: 'user', type: 6 })]);
	expect(usage[0]?.required).toBeFalsy();
});

test('without DISCORD_GUILD_ID the command is registered globally, and the application id is looked up', async () => {
	const result = await deployCommands(config());
	expect(result.scope).toBe('global');
	expect(discord.registeredCommands.some((entry) => entry.scope === 'global')).toBe(true);
	expect(discord.requests.some((request) => request.method === 'PUT' && request.path === `/applications/${discord.applicationId}/commands`)).toBe(true);
});

test('only a global registration says where /comic may be used: a guild registration sends no contexts or integration_types', async () => {
	const guild = '200000000000000002';
	await deployCommands(config({ DISCORD_GUILD_ID: guild }));
	await deployCommands(config());
	const put = (path: string) => discord.requests.findLast((request) => request.method === 'PUT' && request.path === path)?.json;
	const [guildCommand] = put(`/applications/${discord.applicationId}/guilds/${guild}/commands`) as Record<string, unknown>[];
	const [globalCommand, globalMessage] = put(`/applications/${discord.applicationId}/commands`) as Record<string, unknown>[];
	expect(globalMessage).toMatchObject({ type: 3, name: 'Make a character', contexts: [0, 1, 2] });
	expect(guildCommand).toMatchObject({ name: 'comic' });
	expect(guildCommand).not.toHaveProperty('contexts');
	expect(guildCommand).not.toHaveProperty('integration_types');
	// Servers, the bot's DMs and private channels.
	expect(globalCommand).toMatchObject({ name: 'comic', contexts: [0, 1, 2] });
	const { contexts: _contexts, ...globalRest } = globalCommand ?? {};
	expect(globalRest).toEqual(guildCommand);
});

test("the fake refuses a guild registration that carries contexts, as Discord's types for guild commands leave them out", async () => {
	const rest = new REST({ api: discord.apiUrl }).setToken(discord.botToken);
	const route = `/applications/${discord.applicationId}/guilds/200000000000000003/commands` as const;
	await expect(rest.put(route, { body: [{ ...comicGuildCommand, contexts: [0] }] })).rejects.toMatchObject({ status: 400, code: 50035 });
	await expect(rest.put(route, { body: [{ ...comicGuildCommand, integration_types: [0] }] })).rejects.toMatchObject({ status: 400, code: 50035 });
});

test('npm run deploy-commands with a bad setting prints the problem and exits 1', () => {
	const root = join(import.meta.dirname, '../..');
	const result = spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/deployCommands.ts')], {
		cwd: mkdtempSync(join(tmpdir(), 'comic-deploy-')),
		env: { PATH: process.env.PATH, DISCORD_TOKEN: 'x', CIVITAI_API_TOKEN: 'y', DISCORD_GUILD_ID: 'not-an-id' },
		encoding: 'utf8',
		timeout: 30_000,
	});
	expect(result.status).toBe(1);
	expect(result.stderr).toContain('DISCORD_GUILD_ID');
	expect(result.stderr).not.toMatch(/\n\s+at /);
});
