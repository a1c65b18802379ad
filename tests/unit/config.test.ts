import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.ts';

const minimal = { DISCORD_TOKEN: 'token', CIVITAI_API_TOKEN: 'key' };

test('the contract defaults apply when only the two required settings are given', () => {
	expect(parseConfig(minimal)).toMatchObject({
		DISCORD_API_URL: 'https://discord.com/api',
		CIVITAI_API_URL: 'https://civitai.com',
		ORCHESTRATOR_URL: 'https://orchestration.civitai.com',
		OPENAI_MODEL: 'gpt-4o-mini',
		DATA_DIR: './data',
		POLL_INTERVAL_SECONDS: 3,
		LOG_LEVEL: 'info',
	});
});

test('empty values from a copied .env.example count as unset', () => {
	const config = parseConfig({ ...minimal, OPENAI_API_KEY: '', DATABASE_URL: '', DISCORD_GUILD_ID: '', POLL_INTERVAL_SECONDS: '' });
	expect(config.OPENAI_API_KEY).toBeUndefined();
	expect(config.DATABASE_URL).toBeUndefined();
	expect(config.POLL_INTERVAL_SECONDS).toBe(3);
});

test('every bad setting is reported on its own line, naming the variable', () => {
	let error: unknown;
	try {
		parseConfig({ DISCORD_API_URL: 'not a url', DATABASE_URL: 'mysql://x', POLL_INTERVAL_SECONDS: 'often', LOG_LEVEL: 'loud', DISCORD_GUILD_ID: 'abc' });
	} catch (caught) {
		error = caught;
	}
	expect(error).toBeInstanceOf(ConfigError);
	const problems = (error as ConfigError).problems;
	for (const name of ['DISCORD_TOKEN', 'CIVITAI_API_TOKEN', 'DISCORD_API_URL', 'DATABASE_URL', 'POLL_INTERVAL_SECONDS', 'LOG_LEVEL', 'DISCORD_GUILD_ID'])
		expect(problems.some((line) => line.startsWith(`${name} `))).toBe(true);
	expect(problems).toHaveLength(7);
});

test('npm start with a missing setting prints one line per problem and exits 1, without a stack trace', () => {
	const cwd = mkdtempSync(join(tmpdir(), 'comic-config-'));
	const root = join(import.meta.dirname, '../..');
	const result = spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/main.ts')], {
		cwd,
		env: { PATH: process.env.PATH, DISCORD_TOKEN: '', POLL_INTERVAL_SECONDS: '0' },
		encoding: 'utf8',
		timeout: 30_000,
	});
	expect(result.status).toBe(1);
	expect(result.stderr).toContain('DISCORD_TOKEN');
	expect(result.stderr).toContain('CIVITAI_API_TOKEN');
	expect(result.stderr).toContain('POLL_INTERVAL_SECONDS');
	expect(result.stderr).not.toMatch(/\n\s+at /);
});

test('the SQLite schema is the PostgreSQL schema with another provider', () => {
	expect(() => execFileSync(process.execPath, [join(import.meta.dirname, '../../scripts/sync-sqlite-schema.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
});

test('a .env copied from .env.example needs only the two tokens', () => {
	const example = readFileSync(join(import.meta.dirname, '../../.env.example'), 'utf8');
	const env = Object.fromEntries(
		example
			.split('\n')
			.filter((line) => /^[A-Z_]+=/.test(line))
			.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
	);
	expect(() => parseConfig(env)).toThrow(ConfigError);
	expect(parseConfig({ ...env, DISCORD_TOKEN: 'token', CIVITAI_API_TOKEN: 'key' })).toMatchObject({
		INTERACTIONS_MODE: 'gateway',
		POLL_INTERVAL_SECONDS: 3,
		DATA_DIR: './data',
	});
});
