import { UserFacingError } from '../comic/errors.ts';
import type { Db, Tx } from '../db/database.ts';
import { SETTING_RANGES } from './limits.ts';
import type { PaidBy } from './spend.ts';

/** The tables settings and keys are read from: the client or a transaction's. */
type Reader = Pick<Db | Tx, 'guildSettings' | 'userKey'>;

/** A server's own rules for the bot (`/comic settings`). */
export interface ServerSettings {
	/** Whether members without their own key may draw with the bot's key. */
	readonly sharedKey: boolean;
	/** Panels per server in any 24 hours; null (or 0 when set) = no limit of the server's own. */
	readonly serverDailyLimit: number | null;
	/** Panels per member in any 24 hours; null = the bot's default. */
	readonly userDailyLimit: number | null;
	/** Whether `/comic panel` rewrites prompts when `enhance` is left out. */
	readonly enhanceDefault: boolean;
	/** Panels estimated above this many Buzz ask their owner first; null = CONFIRM_ABOVE_DEFAULT. */
	readonly confirmAbove: number | null;
	/** Buzz per member and for the server in any 24 hours (counted in the ledger); null or 0 = none. */
	readonly userDailyBuzz: number | null;
	readonly serverDailyBuzz: number | null;
	/** Members with this role may create server projects, besides those with Manage Server; null = none. */
	readonly comicRoleId: string | null;
	readonly updatedAt: Date | null;
	readonly updatedBy: string | null;
}

export type SettingsChange = Partial<
	Pick<
		ServerSettings,
		'sharedKey' | 'serverDailyLimit' | 'userDailyLimit' | 'enhanceDefault' | 'userDailyBuzz' | 'serverDailyBuzz' | 'confirmAbove' | 'comicRoleId'
	>
>;

export const DEFAULT_SETTINGS: ServerSettings = {
	sharedKey: true,
	serverDailyLimit: null,
	userDailyLimit: null,
	enhanceDefault: true,
	confirmAbove: null,
	comicRoleId: null,
	userDailyBuzz: null,
	serverDailyBuzz: null,
	updatedAt: null,
	updatedBy: null,
};

export { SETTING_RANGES };
export { CONFIRM_ABOVE_DEFAULT } from './limits.ts';

/** The limits the environment sets (MAX_PANELS_*): the bound for the bot's own key. Same shape as the panel steps' PanelLimits. */
export interface Limits {
	readonly inFlightPerUser: number;
	readonly perUserPerDay: number;
	readonly perGuildPerDay?: number | undefined;
	/** Panels of one user that may wait for a slot (MAX_PANELS_QUEUED_PER_USER): the bot's capacity, whoever pays. */
	readonly queuedPerUser?: number | undefined;
	/** Buzz of the bot's key per user and per server in any 24 hours (MAX_BUZZ_PER_USER_PER_DAY, MAX_BUZZ_PER_GUILD_PER_DAY). */
	readonly buzzPerUserPerDay?: number | undefined;
	readonly buzzPerGuildPerDay?: number | undefined;
}

export type Decision = { readonly allowed: true; readonly limits: Limits } | { readonly allowed: false; readonly reason: string };

export const LINK_A_KEY =
	'This server lets members draw only with their own Civitai key. Link yours with `/comic account link` (the panels are then paid with your Buzz).';

/**
 * The limits for one panel request. With the bot's key, the environment's caps stay the upper bound
 * and a server can only lower them; with the user's own key the server's own limits apply (the
 * environment's per-user default where the server set none) and the environment's server cap, which
 * protects the bot's Buzz, does not. In-flight limits protect the bot's capacity and always apply.
 */
export function effectiveLimits(env: Limits, settings: AccessSettings, usesOwnKey: boolean): Decision {
	if (!usesOwnKey && !settings.sharedKey) return { allowed: false, reason: LINK_A_KEY };
	const serverLimit = settings.serverDailyLimit || undefined;
	if (usesOwnKey)
		return {
			allowed: true,
			limits: {
				inFlightPerUser: env.inFlightPerUser,
				queuedPerUser: env.queuedPerUser,
				perUserPerDay: settings.userDailyLimit ?? env.perUserPerDay,
				perGuildPerDay: serverLimit,
				buzzPerUserPerDay: settings.userDailyBuzz || undefined,
				buzzPerGuildPerDay: settings.serverDailyBuzz || undefined,
			},
		};
	return {
		allowed: true,
		limits: {
			inFlightPerUser: env.inFlightPerUser,
			queuedPerUser: env.queuedPerUser,
			perUserPerDay: Math.min(env.perUserPerDay, settings.userDailyLimit ?? env.perUserPerDay),
			perGuildPerDay: lower(env.perGuildPerDay, serverLimit),
			buzzPerUserPerDay: lower(env.buzzPerUserPerDay, settings.userDailyBuzz || undefined),
			buzzPerGuildPerDay: lower(env.buzzPerGuildPerDay, settings.serverDailyBuzz || undefined),
		},
	};
}

function lower(a: number | undefined, b: number | undefined): number | undefined {
	if (a === undefined) return b;
	if (b === undefined) return a;
	return Math.min(a, b);
}

/** A server's settings, read from the database on every use: a change applies at once in every process. */
export async function readSettings(db: Reader, guildId: string | null): Promise<ServerSettings> {
	if (!guildId) return DEFAULT_SETTINGS;
	const row = await db.guildSettings.findUnique({ where: { guildId } });
	return row ?? DEFAULT_SETTINGS;
}

export async function updateSettings(db: Db, guildId: string, userId: string, change: SettingsChange): Promise<ServerSettings> {
	const names = {
		serverDailyLimit: 'server_daily_limit',
		userDailyLimit: 'user_daily_limit',
		userDailyBuzz: 'user_daily_buzz',
		serverDailyBuzz: 'server_daily_buzz',
		confirmAbove: 'confirm_above',
	};
	for (const field of ['serverDailyLimit', 'userDailyLimit', 'userDailyBuzz', 'serverDailyBuzz', 'confirmAbove'] as const) {
		const value = change[field];
		const { min, max } = SETTING_RANGES[field];
		if (value !== undefined && value !== null && (!Number.isInteger(value) || value < min || value > max))
			throw new UserFacingError(`\`${names[field]}\` must be a whole number from ${min} to ${max}.`);
	}
	const data = { ...change, updatedBy: userId };
	return db.guildSettings.upsert({ where: { guildId }, create: { guildId, ...data }, update: data });
}

/** What a panel request may do in its server: its limits, whose key pays, and the server's `enhance` default. */
export interface Access {
	readonly limits: Limits;
	readonly paidBy: PaidBy;
	/** Whether `/comic panel` rewrites the prompt when the user left `enhance` out. */
	readonly enhanceDefault: boolean;
}

/** The settings access and limits depend on (a server's row as admission reads it: src/db/admissionReads.ts). */
export type AccessSettings = Pick<ServerSettings, 'sharedKey' | 'serverDailyLimit' | 'userDailyLimit' | 'enhanceDefault' | 'userDailyBuzz' | 'serverDailyBuzz'>;

/**
 * The access of a panel request in its server, from what was read of it (the server's settings, null
 * when it has none or outside a server; whether the owner linked a key), or a refusal when the server
 * does not share the bot's key with members who have none of their own.
 */
export function accessFrom(env: Limits, settings: AccessSettings | null, ownKey: boolean): Access {
	const decision = effectiveLimits(env, settings ?? DEFAULT_SETTINGS, ownKey);
	if (!decision.allowed) throw new UserFacingError(decision.reason);
	return { limits: decision.limits, paidBy: ownKey ? 'user' : 'bot', enhanceDefault: (settings ?? DEFAULT_SETTINGS).enhanceDefault };
}
