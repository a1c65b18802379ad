import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { expect, test } from 'vitest';
import { keyVersionOf, UnreadableSecretError, Vault } from '../../src/accounts/crypto.ts';
import { checkKeyShape } from '../../src/accounts/keys.ts';
import { DEFAULT_SETTINGS, effectiveLimits, LINK_A_KEY } from '../../src/accounts/settings.ts';
import { Orchestrator } from '../../src/civitai/orchestrator.ts';
import { OrchestratorPool, tokenId } from '../../src/civitai/orchestratorPool.ts';
import { UserFacingError } from '../../src/comic/errors.ts';
import { ConfigError, parseConfig } from '../../src/config.ts';
import { createLog } from '../../src/log.ts';

const realLookingKey = (): string => randomBytes(16).toString('hex');
const minimal = { DISCORD_TOKEN: 'token', CIVITAI_API_TOKEN: 'key' };

test('a sealed key opens again with its owner, never with another owner or after tampering', () => {
	const encryptionKey = randomBytes(32);
	const vault = new Vault([encryptionKey]);
	const secret = realLookingKey();
	const sealed = vault.seal(secret, 'user-1');
	expect(sealed.keyVersion).toBe(keyVersionOf(encryptionKey));
	expect(Buffer.from(sealed.nonce, 'base64')).toHaveLength(12);
	expect(Buffer.from(sealed.tag, 'base64')).toHaveLength(16);
	expect(JSON.stringify(sealed)).not.toContain(secret);
	expect(vault.open(sealed, 'user-1')).toBe(secret);
	// A random nonce per seal: the same key sealed twice looks different.
	expect(vault.seal(secret, 'user-1').ciphertext).not.toBe(sealed.ciphertext);

	expect(() => vault.open(sealed, 'user-2')).toThrow(UnreadableSecretError);
	const flipped = Buffer.from(sealed.ciphertext, 'base64');
	flipped[0] = (flipped[0] ?? 0) ^ 1;
	expect(() => vault.open({ ...sealed, ciphertext: flipped.toString('base64') }, 'user-1')).toThrow(UnreadableSecretError);
	expect(() => new Vault([randomBytes(32)]).open(sealed, 'user-1')).toThrow(/not configured/);
});

test('after a rotation the new key seals and the old one still opens older rows', () => {
	const [older, newer] = [randomBytes(32), randomBytes(32)];
	const sealed = new Vault([older]).seal('abc', 'u');
	const rotated = new Vault([newer, older]);
	expect(rotated.open(sealed, 'u')).toBe('abc');
	expect(rotated.seal('abc', 'u').keyVersion).toBe(keyVersionOf(newer));
});

test('ENCRYPTION_KEY must be 32 bytes of base64; a malformed one is one line naming it', () => {
	const good = randomBytes(32).toString('base64');
	expect(parseConfig({ ...minimal, ENCRYPTION_KEY: good }).ENCRYPTION_KEY).toBe(good);
	expect(parseConfig({ ...minimal, ENCRYPTION_KEY: '' }).ENCRYPTION_KEY).toBeUndefined();
	for (const bad of [randomBytes(16).toString('base64'), randomBytes(32).toString('hex'), `${good.slice(0, -2)}!=`]) {
		let error: unknown;
		try {
			parseConfig({ ...minimal, ENCRYPTION_KEY: bad });
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(ConfigError);
		const problems = (error as ConfigError).problems;
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatch(/^ENCRYPTION_KEY must be 32 random bytes in base64.*openssl rand -base64 32/);
		expect(problems[0]).not.toContain(bad);
	}
});

test('key shapes: surrounding whitespace is forgiven, spaces inside and odd characters are refused without echoing the key', () => {
	const key = realLookingKey();
	expect(checkKeyShape(`  ${key}\n`)).toBe(key);
	for (const bad of [`${key.slice(0, 10)} ${key.slice(10)}`, 'short', `${key}!`, 'x'.repeat(201), '']) {
		let error: unknown;
		try {
			checkKeyShape(bad);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(UserFacingError);
		if (bad.length > 5) expect((error as Error).message).not.toContain(bad.trim().slice(0, 10));
	}
});

test("effective limits: the environment bounds the bot's key, a server can lower them, own keys follow the server alone", () => {
	const env = { inFlightPerUser: 2, perUserPerDay: 50, perGuildPerDay: 200 };
	expect(effectiveLimits(env, DEFAULT_SETTINGS, false)).toEqual({ allowed: true, limits: env });
	const strict = { ...DEFAULT_SETTINGS, userDailyLimit: 500, serverDailyLimit: 100 };
	expect(effectiveLimits(env, strict, false)).toEqual({ allowed: true, limits: { inFlightPerUser: 2, perUserPerDay: 50, perGuildPerDay: 100 } });
	expect(effectiveLimits(env, strict, true)).toEqual({ allowed: true, limits: { inFlightPerUser: 2, perUserPerDay: 500, perGuildPerDay: 100 } });
	// 0 = no server limit of its own; with the bot's key the environment's cap remains.
	expect(effectiveLimits(env, { ...DEFAULT_SETTINGS, serverDailyLimit: 0 }, false)).toMatchObject({ limits: { perGuildPerDay: 200 } });
	expect(effectiveLimits({ ...env, perGuildPerDay: undefined }, { ...DEFAULT_SETTINGS, serverDailyLimit: 0 }, true)).toMatchObject({
		limits: { perGuildPerDay: undefined },
	});
	const closed = { ...DEFAULT_SETTINGS, sharedKey: false };
	expect(effectiveLimits(env, closed, false)).toEqual({ allowed: false, reason: LINK_A_KEY });
	expect(effectiveLimits(env, closed, true)).toMatchObject({ allowed: true });
});

test('Buzz budgets: the environment caps the bot’s key, a server can only lower them; with one’s own key only the server’s apply; 0 = none', () => {
	const env = { inFlightPerUser: 2, perUserPerDay: 50, buzzPerUserPerDay: 300, buzzPerGuildPerDay: 1000 };
	expect(effectiveLimits(env, DEFAULT_SETTINGS, false)).toMatchObject({ limits: { buzzPerUserPerDay: 300, buzzPerGuildPerDay: 1000 } });
	const budgets = { ...DEFAULT_SETTINGS, userDailyBuzz: 500, serverDailyBuzz: 400 };
	expect(effectiveLimits(env, budgets, false)).toMatchObject({ limits: { buzzPerUserPerDay: 300, buzzPerGuildPerDay: 400 } });
	expect(effectiveLimits(env, budgets, true)).toMatchObject({ limits: { buzzPerUserPerDay: 500, buzzPerGuildPerDay: 400 } });
	expect(effectiveLimits(env, { ...DEFAULT_SETTINGS, userDailyBuzz: 0 }, true)).toMatchObject({ limits: { buzzPerUserPerDay: undefined } });
	expect(parseConfig({ ...minimal, MAX_BUZZ_PER_USER_PER_DAY: '0', MAX_BUZZ_PER_GUILD_PER_DAY: '250' })).toMatchObject({
		MAX_BUZZ_PER_USER_PER_DAY: undefined,
		MAX_BUZZ_PER_GUILD_PER_DAY: 250,
	});
	expect(() => parseConfig({ ...minimal, MAX_BUZZ_PER_USER_PER_DAY: '-5' })).toThrow(/MAX_BUZZ_PER_USER_PER_DAY must be 0 \(none\) or more/);
});

test('the pool keeps one client per key, bounded, found by a hash of the key', () => {
	const made: string[] = [];
	const pool = new OrchestratorPool((token) => {
		made.push(token);
		return new Orchestrator({ baseUrl: 'http://127.0.0.1:9', token });
	}, 2);
	const [a, b, c] = [realLookingKey(), realLookingKey(), realLookingKey()];
	const first = pool.for(a);
	expect(pool.for(a)).toBe(first);
	pool.for(b);
	pool.for(a);
	pool.for(c);
	expect(pool.size).toBe(2);
	// b was the least recently used: it was dropped, a was kept.
	expect(pool.for(a)).toBe(first);
	pool.for(b);
	expect(made).toEqual([a, b, c, b]);
	expect(tokenId(a)).toMatch(/^[0-9a-f]{64}$/);
	expect(tokenId(a)).not.toContain(a);
});

test('log redaction censors a real key-shaped value wherever the code could put it', () => {
	const key = realLookingKey();
	const lines: string[] = [];
	const log = createLog(
		'trace',
		new Writable({
			write(chunk: Buffer, _encoding, done) {
				lines.push(chunk.toString());
				done();
			},
		}),
	);
	const encryptionKey = randomBytes(32).toString('base64');
	log.info({ apiKey: key }, 'one');
	log.info({ request: { apiKey: key, api_key: key, key } }, 'two');
	log.info({ api_key: key, key }, 'three');
	log.info({ config: { ENCRYPTION_KEY: encryptionKey }, ENCRYPTION_KEY: encryptionKey }, 'four');
	log.child({ apiKey: key }).info('five');
	const output = lines.join('');
	expect(lines).toHaveLength(5);
	expect(output).not.toContain(key);
	expect(output).not.toContain(encryptionKey);
	expect(output).toContain('[redacted]');
});

test('a ciphertext with a shortened tag or a nonce of another length does not open', () => {
	const vault = new Vault([randomBytes(32)]);
	const sealed = vault.seal('a-civitai-key-0123456789', 'u');
	const tag = Buffer.from(sealed.tag, 'base64');
	// GCM verifies a truncated tag unless told the length: 12 of the 16 bytes would open on a lax decipher.
	for (const length of [4, 8, 12, 15]) {
		expect(() => vault.open({ ...sealed, tag: tag.subarray(0, length).toString('base64') }, 'u'), `tag of ${length}`).toThrow(UnreadableSecretError);
	}
	expect(() => vault.open({ ...sealed, tag: Buffer.concat([tag, Buffer.from([0])]).toString('base64') }, 'u')).toThrow(UnreadableSecretError);
	const nonce = Buffer.from(sealed.nonce, 'base64');
	expect(() => vault.open({ ...sealed, nonce: Buffer.concat([nonce, Buffer.alloc(4)]).toString('base64') }, 'u')).toThrow(UnreadableSecretError);
	expect(() => vault.open({ ...sealed, nonce: nonce.subarray(0, 8).toString('base64') }, 'u')).toThrow(UnreadableSecretError);
	expect(vault.open(sealed, 'u')).toBe('a-civitai-key-0123456789');
});

test('rotation from configuration: ENCRYPTION_KEY seals, ENCRYPTION_KEYS_OLD still opens what older keys sealed', () => {
	const [oldest, older, newer] = [randomBytes(32), randomBytes(32), randomBytes(32)].map((key) => key.toString('base64'));
	const sealedOldest = Vault.fromBase64(oldest)?.seal('key-a', 'u');
	const sealedOlder = Vault.fromBase64(older)?.seal('key-b', 'u');
	const config = parseConfig({ ...minimal, ENCRYPTION_KEY: newer, ENCRYPTION_KEYS_OLD: ` ${older}, ${oldest} ` });
	expect(config.ENCRYPTION_KEYS_OLD).toEqual([older, oldest]);
	const rotated = Vault.fromBase64(config.ENCRYPTION_KEY, config.ENCRYPTION_KEYS_OLD);
	if (!rotated || !sealedOldest || !sealedOlder) throw new Error('no vault');
	expect(rotated.open(sealedOldest, 'u')).toBe('key-a');
	expect(rotated.open(sealedOlder, 'u')).toBe('key-b');
	const fresh = rotated.seal('key-c', 'u');
	expect(fresh.keyVersion).toBe(keyVersionOf(Buffer.from(newer ?? '', 'base64')));
	// Once the old keys are dropped from the configuration, what they sealed no longer opens.
	expect(() => Vault.fromBase64(newer)?.open(sealedOlder, 'u')).toThrow(/not configured/);
	expect(Vault.fromBase64(newer)?.open(fresh, 'u')).toBe('key-c');
	// A malformed old key is named in one line without its value; old keys without a new one are refused.
	expect(() => parseConfig({ ...minimal, ENCRYPTION_KEY: newer, ENCRYPTION_KEYS_OLD: `${older},nope` })).toThrow(
		/ENCRYPTION_KEYS_OLD\.1 must be 32 random bytes/,
	);
	expect(() => parseConfig({ ...minimal, ENCRYPTION_KEYS_OLD: older })).toThrow(/ENCRYPTION_KEYS_OLD needs ENCRYPTION_KEY/);
});
