import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** What is stored for one secret: never the secret itself. */
export interface Sealed {
	readonly ciphertext: string;
	readonly nonce: string;
	readonly tag: string;
	/** Which encryption key sealed it (see {@link keyVersionOf}), so a rotation can find the right one. */
	readonly keyVersion: string;
}

const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12;
/** Only full tags: GCM also verifies truncated ones (down to 4 bytes), each byte fewer halving a forger's odds 256 times over. */
const TAG_BYTES = 16;

/** A short, public name for an encryption key: the first 8 hex characters of its SHA-256. */
export function keyVersionOf(key: Buffer): string {
	return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** The key could not be opened: another ENCRYPTION_KEY sealed it, or the row was tampered with. */
export class UnreadableSecretError extends Error {
	public constructor(reason: string) {
		super(`a stored secret cannot be opened: ${reason}`);
		this.name = 'UnreadableSecretError';
	}
}

/**
 * AES-256-GCM with a random 12-byte nonce per secret. The first key seals; every key opens what it
 * sealed, so a new ENCRYPTION_KEY can be put first while the old one still reads older rows.
 * `context` (the owner's id) is bound as additional data: a ciphertext copied to another row does not open.
 */
export class Vault {
	private readonly keys: ReadonlyMap<string, Buffer>;
	private readonly current: { version: string; key: Buffer };

	public constructor(keys: readonly Buffer[]) {
		const [first] = keys;
		if (!first) throw new Error('a vault needs at least one key');
		for (const key of keys) if (key.length !== 32) throw new Error('AES-256 keys are 32 bytes');
		this.keys = new Map(keys.map((key) => [keyVersionOf(key), key]));
		this.current = { version: keyVersionOf(first), key: first };
	}

	/**
	 * A vault from ENCRYPTION_KEY (base64; it seals) and ENCRYPTION_KEYS_OLD (base64 keys separated by
	 * commas; they only open what they sealed), or undefined when the operator has set no key.
	 */
	public static fromBase64(current: string | undefined, old: readonly string[] = []): Vault | undefined {
		return current ? new Vault([current, ...old].map((key) => Buffer.from(key, 'base64'))) : undefined;
	}

	public seal(secret: string, context: string): Sealed {
		const nonce = randomBytes(NONCE_BYTES);
		const cipher = createCipheriv(ALGORITHM, this.current.key, nonce, { authTagLength: TAG_BYTES });
		cipher.setAAD(Buffer.from(context, 'utf8'));
		const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
		return {
			ciphertext: ciphertext.toString('base64'),
			nonce: nonce.toString('base64'),
			tag: cipher.getAuthTag().toString('base64'),
			keyVersion: this.current.version,
		};
	}

	public open(sealed: Sealed, context: string): string {
		// The key id names the one key to try: no guessing through every configured key.
		const key = this.keys.get(sealed.keyVersion);
		if (!key) throw new UnreadableSecretError(`sealed with key ${sealed.keyVersion}, which is not configured`);
		const nonce = Buffer.from(sealed.nonce, 'base64');
		const tag = Buffer.from(sealed.tag, 'base64');
		if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) throw new UnreadableSecretError('the nonce or the tag has the wrong length');
		try {
			const decipher = createDecipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
			decipher.setAAD(Buffer.from(context, 'utf8'));
			decipher.setAuthTag(tag);
			return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
		} catch {
			// Node's own message says nothing useful and nothing secret; ours names the cause.
			throw new UnreadableSecretError('authentication failed');
		}
	}
}
