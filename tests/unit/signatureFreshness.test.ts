import { generateKeyPairSync, sign } from 'node:crypto';
import { expect, test } from 'vitest';
import { checkSignature, discordPublicKey, MAX_SIGNATURE_AGE_MS } from '../../src/http/verifySignature.ts';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const key = discordPublicKey(publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'));
const now = 1_800_000_000_000;
const body = Buffer.from('{"type":1}');
const check = (secondsFromNow: number) => {
	const timestamp = String(now / 1000 + secondsFromNow);
	return checkSignature(key, { signature: sign(null, Buffer.concat([Buffer.from(timestamp), body]), privateKey).toString('hex'), timestamp }, body, now);
};

test('a signed request dated too far in the future is refused like one too old: a replay window works both ways', () => {
	const limit = MAX_SIGNATURE_AGE_MS / 1000;
	expect(check(limit + 1)).toEqual({ ok: false, reason: 'stale' });
	expect(check(-(limit + 1))).toEqual({ ok: false, reason: 'stale' });
	expect(check(limit - 1)).toEqual({ ok: true });
	expect(check(-(limit - 1))).toEqual({ ok: true });
	expect(check(0)).toEqual({ ok: true });
});
