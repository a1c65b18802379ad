// The key vault's refusals and the Discord signature checks, each for its stated reason: what an operator
// or a log reader sees when something is wrong must name the cause.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { expect, test } from 'vitest';
import { keyVersionOf, UnreadableSecretError, Vault } from '../../src/accounts/crypto.ts';
import { checkSignature, checkSignatureHeaders, discordPublicKey, MAX_SIGNATURE_AGE_MS } from '../../src/http/verifySignature.ts';

function caught(work: () => unknown): Error {
	try {
		work();
	} catch (error) {
		if (error instanceof Error) return error;
	}
	throw new Error('expected an error');
}

test('a vault needs a key, and every key must be 32 bytes', () => {
	expect(caught(() => new Vault([])).message).toBe('a vault needs at least one key');
	expect(caught(() => new Vault([randomBytes(32), randomBytes(16)])).message).toBe('AES-256 keys are 32 bytes');
	expect(caught(() => new Vault([randomBytes(31)])).message).toBe('AES-256 keys are 32 bytes');
	expect(Vault.fromBase64(undefined)).toBeUndefined();
	expect(Vault.fromBase64('')).toBeUndefined();
});

test('a key version is the first 8 hex characters of the key’s SHA-256, stored with every sealed secret', () => {
	// sha256 of 32 bytes of 7, computed independently (Python hashlib).
	const key = Buffer.alloc(32, 7);
	expect(keyVersionOf(key)).toBe('4bb06f8e');
	expect(new Vault([key]).seal('secret', 'u').keyVersion).toBe('4bb06f8e');
});

test('a secret sealed with a key no longer configured names that key version', () => {
	const sealed = new Vault([randomBytes(32)]).seal('secret', 'u');
	const error = caught(() => new Vault([randomBytes(32)]).open(sealed, 'u'));
	expect(error).toBeInstanceOf(UnreadableSecretError);
	expect(error.name).toBe('UnreadableSecretError');
	expect(error.message).toBe(`a stored secret cannot be opened: sealed with key ${sealed.keyVersion}, which is not configured`);
});

test('a tag or nonce of the wrong length is refused for its length, before any decryption; a tampered one fails authentication', () => {
	const vault = new Vault([randomBytes(32)]);
	const sealed = vault.seal('a-civitai-key-0123456789', 'u');
	const short = Buffer.from(sealed.tag, 'base64').subarray(0, 12).toString('base64');
	const long = Buffer.concat([Buffer.from(sealed.nonce, 'base64'), Buffer.alloc(4)]).toString('base64');
	const lengthError = 'a stored secret cannot be opened: the nonce or the tag has the wrong length';
	expect(caught(() => vault.open({ ...sealed, tag: short }, 'u')).message).toBe(lengthError);
	expect(caught(() => vault.open({ ...sealed, nonce: long }, 'u')).message).toBe(lengthError);
	const flipped = Buffer.from(sealed.ciphertext, 'base64');
	flipped[0] = (flipped[0] ?? 0) ^ 1;
	expect(caught(() => vault.open({ ...sealed, ciphertext: flipped.toString('base64') }, 'u')).message).toBe(
		'a stored secret cannot be opened: authentication failed',
	);
	expect(caught(() => vault.open(sealed, 'someone else')).message).toBe('a stored secret cannot be opened: authentication failed');
});

test('non-ASCII secrets and owners round trip', () => {
	const vault = new Vault([randomBytes(32)]);
	const sealed = vault.seal('clé-ключ-鍵', 'üser');
	expect(vault.open(sealed, 'üser')).toBe('clé-ключ-鍵');
	expect(() => vault.open(sealed, 'user')).toThrow(UnreadableSecretError);
});

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const rawKey = () => publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
const NOW = 1_800_000_000_000;
const body = Buffer.from('{"type":1}');
const signed = (timestamp: string, data = body) => sign(null, Buffer.concat([Buffer.from(timestamp), data]), privateKey).toString('hex');

test('the public key is read from its 64 hex characters and verifies what the matching private key signed', () => {
	const key = discordPublicKey(rawKey());
	const timestamp = String(NOW / 1000);
	expect(checkSignature(key, { signature: signed(timestamp), timestamp }, body, NOW)).toEqual({ ok: true });
	expect(caught(() => discordPublicKey(rawKey().slice(0, 62))).message).toBe('an Ed25519 public key has 32 bytes (64 hex characters)');
	expect(() => discordPublicKey(`${rawKey()}00`)).toThrow(/32 bytes/);
});

test('missing headers are refused as missing, whichever is absent', () => {
	const timestamp = String(NOW / 1000);
	const signature = 'a'.repeat(128);
	expect(checkSignatureHeaders({ signature: undefined, timestamp }, NOW)).toEqual({ ok: false, reason: 'missing' });
	expect(checkSignatureHeaders({ signature, timestamp: undefined }, NOW)).toEqual({ ok: false, reason: 'missing' });
	expect(checkSignatureHeaders({ signature: '', timestamp: '' }, NOW)).toEqual({ ok: false, reason: 'missing' });
	expect(checkSignature(discordPublicKey(rawKey()), { signature, timestamp: undefined }, body, NOW)).toEqual({ ok: false, reason: 'missing' });
	expect(checkSignatureHeaders({ signature, timestamp }, NOW)).toEqual({ ok: true });
});

test('a signature must be exactly 128 hex characters and a timestamp 1 to 12 digits, nothing around them', () => {
	const timestamp = String(NOW / 1000);
	const hex = 'aB'.repeat(64);
	for (const signature of [`x${hex}`, `${hex}x`, hex.slice(1), `${hex}0`, `${hex}\n`])
		expect(checkSignatureHeaders({ signature, timestamp }, NOW), signature).toEqual({ ok: false, reason: 'malformed' });
	for (const bad of [`x${timestamp}`, `${timestamp}x`, `${timestamp}.5`, '-1', '1234567890123'])
		expect(checkSignatureHeaders({ signature: hex, timestamp: bad }, NOW), bad).toEqual({ ok: false, reason: 'malformed' });
});

test('a request exactly at the age limit is still fresh; a second past it is stale', () => {
	const hex = 'a'.repeat(128);
	const at = (ms: number) => String((NOW - ms) / 1000);
	expect(checkSignatureHeaders({ signature: hex, timestamp: at(MAX_SIGNATURE_AGE_MS) }, NOW)).toEqual({ ok: true });
	expect(checkSignatureHeaders({ signature: hex, timestamp: at(-MAX_SIGNATURE_AGE_MS) }, NOW)).toEqual({ ok: true });
	expect(checkSignatureHeaders({ signature: hex, timestamp: at(MAX_SIGNATURE_AGE_MS + 1000) }, NOW)).toEqual({ ok: false, reason: 'stale' });
});
