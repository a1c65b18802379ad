import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** ASN.1 header of an Ed25519 SubjectPublicKeyInfo: what comes before the raw 32-byte key. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Discord signs each request it POSTs; older timestamps than this are refused as replays. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

/** The application's public key (64 hex characters, as the developer portal shows it) as a node:crypto key. */
export function discordPublicKey(hex: string): KeyObject {
	const raw = Buffer.from(hex, 'hex');
	if (raw.length !== 32) throw new Error('an Ed25519 public key has 32 bytes (64 hex characters)');
	return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'stale' | 'invalid' };

interface SignatureHeaders {
	readonly signature: string | undefined;
	readonly timestamp: string | undefined;
}

/**
 * What can be judged from the headers alone: both present, well-formed (128 hex characters, a
 * timestamp in seconds) and fresh. Checked before the body is read, so a forged request costs us
 * no body at all.
 */
export function checkSignatureHeaders(headers: SignatureHeaders, now: number): SignatureCheck {
	const { signature, timestamp } = headers;
	if (!signature || !timestamp) return { ok: false, reason: 'missing' };
	if (!/^[0-9a-fA-F]{128}$/.test(signature) || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed' };
	// A captured request replayed later carries a valid signature: only its age gives it away.
	if (Math.abs(now - Number(timestamp) * 1000) > MAX_SIGNATURE_AGE_MS) return { ok: false, reason: 'stale' };
	return { ok: true };
}

/**
 * Checks `X-Signature-Ed25519` over `X-Signature-Timestamp` + the raw body. Discord deliberately
 * sends bad signatures to endpoints it is configured with and disables those that accept them.
 * @see https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
 */
export function checkSignature(key: KeyObject, headers: SignatureHeaders, body: Buffer, now: number): SignatureCheck {
	const early = checkSignatureHeaders(headers, now);
	if (!early.ok || !headers.signature || !headers.timestamp) return early.ok ? { ok: false, reason: 'missing' } : early;
	const signed = Buffer.concat([Buffer.from(headers.timestamp, 'utf8'), body]);
	return verify(null, signed, key, Buffer.from(headers.signature, 'hex')) ? { ok: true } : { ok: false, reason: 'invalid' };
}
