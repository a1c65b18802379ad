import { generateKeyPairSync, sign } from 'node:crypto';
import { expect, test } from 'vitest';
import { callbackKey, callbackUrlFor, signPanelId } from '../../src/http/callbacks.ts';
import { checkSignature, discordPublicKey } from '../../src/http/verifySignature.ts';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const key = discordPublicKey(publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'));
const now = 1_800_000_000_000;
const body = Buffer.from('{"type":1}');
const signed = (timestamp: string, data = body) => sign(null, Buffer.concat([Buffer.from(timestamp), data]), privateKey).toString('hex');

test('a Discord signature over timestamp + body verifies with the raw 32-byte public key', () => {
	const timestamp = String(now / 1000);
	expect(checkSignature(key, { signature: signed(timestamp), timestamp }, body, now)).toEqual({ ok: true });
});

test('a signature over another body, a missing header, garbage or an old timestamp is refused, each for its reason', () => {
	const timestamp = String(now / 1000);
	expect(checkSignature(key, { signature: signed(timestamp, Buffer.from('{}')), timestamp }, body, now)).toEqual({ ok: false, reason: 'invalid' });
	expect(checkSignature(key, { signature: undefined, timestamp }, body, now)).toEqual({ ok: false, reason: 'missing' });
	expect(checkSignature(key, { signature: 'not hex', timestamp }, body, now)).toEqual({ ok: false, reason: 'malformed' });
	const old = String(now / 1000 - 301);
	expect(checkSignature(key, { signature: signed(old), timestamp: old }, body, now)).toEqual({ ok: false, reason: 'stale' });
	const recent = String(now / 1000 - 299);
	expect(checkSignature(key, { signature: signed(recent), timestamp: recent }, body, now)).toEqual({ ok: true });
});

test('a public key that is not 32 bytes is refused at start', () => {
	expect(() => discordPublicKey('abcd')).toThrow(/32 bytes/);
});

test('callback URLs are signed per panel with a key derived from the API token, or from CALLBACK_SECRET when set', () => {
	const fromToken = callbackKey({ CIVITAI_API_TOKEN: 'civitai-key' });
	const fromSecret = callbackKey({ CIVITAI_API_TOKEN: 'civitai-key', CALLBACK_SECRET: 'x'.repeat(32) });
	expect(fromToken.equals(fromSecret)).toBe(false);
	// Every replica with the same settings signs alike; the token itself never appears.
	expect(callbackKey({ CIVITAI_API_TOKEN: 'civitai-key' }).equals(fromToken)).toBe(true);
	const url = callbackUrlFor('https://bot.example.com', fromToken)('panel-1');
	expect(url).toBe(`https://bot.example.com/callbacks/orchestrator/panel-1?sig=${signPanelId(fromToken, 'panel-1')}`);
	expect(url).not.toContain('civitai-key');
	expect(signPanelId(fromToken, 'panel-1')).not.toBe(signPanelId(fromToken, 'panel-2'));
});
