import type { OrchestratorPool } from '../civitai/orchestratorPool.ts';
import { UserFacingError } from '../comic/errors.ts';
import type { Db } from '../db/database.ts';
import type { Log } from '../log.ts';
import { HttpError } from '../net/httpError.ts';
import { UnreadableSecretError, type Vault } from './crypto.ts';

/** What the account functions need, built once in the composition root. */
export interface AccountDeps {
	readonly db: Db;
	readonly log: Log;
	/** Undefined when the operator has not set ENCRYPTION_KEY: then no key can be linked or read. */
	readonly vault: Vault | undefined;
	/** Clients for users' own keys. */
	readonly orchestrators: OrchestratorPool;
}

export const NOT_ENABLED =
	"Linking your own Civitai key is not enabled on this bot: its operator has not set `ENCRYPTION_KEY`. Panels are drawn with the bot's own key where the server allows it.";
export const KEY_REJECTED =
	'That key was not accepted by Civitai. Check that you copied the whole key (civitai.com → Account settings → API keys) and try again.';
export const CHECK_UNAVAILABLE = "Civitai's image generator could not be reached to check the key, so nothing was stored. Please try again in a few minutes.";

// Civitai keys are 32 hex characters today; a little room for other shapes, nothing that cannot be a key.
const KEY_SHAPE = /^[A-Za-z0-9_-]{20,200}$/;

/**
 * The key as pasted, without the surrounding whitespace a copy often brings, or a refusal that never
 * quotes it back (a wrong value might still be someone's secret).
 */
export function checkKeyShape(raw: string): string {
	const key = raw.trim();
	if (!key) throw new UserFacingError('The key is empty. Paste your Civitai API key (civitai.com → Account settings → API keys).');
	if (/\s/.test(key)) throw new UserFacingError('A Civitai API key has no spaces in it. Paste the key alone, exactly as Civitai shows it.');
	if (!KEY_SHAPE.test(key))
		throw new UserFacingError(
			'That does not look like a Civitai API key: keys are 20 to 200 letters, digits, `-` or `_` (today 32 hex characters). Copy it again from civitai.com → Account settings → API keys.',
		);
	return key;
}

/**
 * Checks the key with one cheap orchestrator call made with it, then stores it sealed. Nothing is
 * stored unless the check passed. Refusals are UserFacingErrors and never contain the key.
 */
export async function linkKey(deps: AccountDeps, userId: string, raw: string, now = new Date()): Promise<void> {
	if (!deps.vault) throw new UserFacingError(NOT_ENABLED);
	const key = checkKeyShape(raw);
	try {
		await deps.orchestrators.for(key).checkKey();
	} catch (error) {
		if (!(error instanceof HttpError)) throw error;
		// The error's message and fields hold method, URL and status only: safe to log.
		deps.log.info({ userId, status: error.status }, 'a Civitai key to link was checked and not accepted');
		if (error.status === 401 || error.status === 403) throw new UserFacingError(KEY_REJECTED);
		throw new UserFacingError(CHECK_UNAVAILABLE);
	}
	const sealed = deps.vault.seal(key, userId);
	await deps.db.userKey.upsert({
		where: { userId },
		create: { userId, ...sealed, createdAt: now },
		update: { ...sealed, createdAt: now, lastUsedAt: null },
	});
	deps.log.info({ userId, keyVersion: sealed.keyVersion }, 'a user linked their own Civitai key');
}

/** Deletes the user's key; false when none was linked. */
export async function unlinkKey(db: Db, userId: string): Promise<boolean> {
	const { count } = await db.userKey.deleteMany({ where: { userId } });
	return count > 0;
}

export interface KeyStatus {
	readonly linkedAt: Date;
	readonly lastUsedAt: Date | null;
	/** Panels and Buzz paid with this key since it was linked. */
	readonly panels: number;
	readonly buzz: number;
}

/** Whether a key is linked, since when and what it has paid; never anything of the key itself. */
export async function keyStatus(db: Db, userId: string): Promise<KeyStatus | undefined> {
	const row = await db.userKey.findUnique({ where: { userId }, select: { createdAt: true, lastUsedAt: true } });
	if (!row) return undefined;
	const paid = await db.spend.aggregate({
		where: { userId, paidBy: 'user', createdAt: { gte: row.createdAt } },
		_count: { _all: true },
		_sum: { buzz: true },
	});
	return { linkedAt: row.createdAt, lastUsedAt: row.lastUsedAt, panels: paid._count._all, buzz: paid._sum.buzz ?? 0 };
}

export type UserKeyRead =
	| { readonly state: 'none' }
	| { readonly state: 'linked'; readonly key: string }
	| { readonly state: 'unreadable'; readonly reason: string };

/** The user's own key in clear, for this call only: callers hand it to a client and keep nothing else. */
export async function readUserKey(deps: Pick<AccountDeps, 'db' | 'vault'>, userId: string): Promise<UserKeyRead> {
	const row = await deps.db.userKey.findUnique({ where: { userId } });
	if (!row) return { state: 'none' };
	if (!deps.vault) return { state: 'unreadable', reason: 'ENCRYPTION_KEY is not set' };
	try {
		return { state: 'linked', key: deps.vault.open(row, userId) };
	} catch (error) {
		if (error instanceof UnreadableSecretError) return { state: 'unreadable', reason: error.message };
		throw error;
	}
}
