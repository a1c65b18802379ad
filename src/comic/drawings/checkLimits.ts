import { buzzSince, DAY_MS, drawingCount, oldestDrawings, type Scope } from '../../accounts/ledger.ts';
import { type AdmissionFacts, admissionFacts, type Db, type Tx } from '../../db/database.ts';
import { UserFacingError } from '../errors.ts';
import { checkQueueCounts } from './queue.ts';

export interface PanelLimits {
	readonly inFlightPerUser: number;
	readonly perUserPerDay: number;
	readonly perGuildPerDay?: number | undefined;
	/** Panels of one user that may wait for a slot (MAX_PANELS_QUEUED_PER_USER); beyond, a refusal. */
	readonly queuedPerUser?: number | undefined;
	/** Buzz per user and per server in any 24 hours (`user_daily_buzz`, `server_daily_buzz`, MAX_BUZZ_PER_*); undefined = none. */
	readonly buzzPerUserPerDay?: number | undefined;
	readonly buzzPerGuildPerDay?: number | undefined;
}

/**
 * The limits every drawing is subject to, a new panel's, a redraw's or a story's `count` panels
 * estimated at `buzz` together: the user's queue (over the in-flight limit a drawing waits for a slot,
 * up to the queue's bound: ./queue.ts, counted on live drawings), and per user and per server in the
 * last 24 hours, counted in the ledger (src/accounts/ledger.ts), which no delete shrinks. Run before
 * the acknowledgement, and again inside the transaction that stores the drawings, after the user's turn
 * is taken (lockUser); that transaction then writes the ledger rows (recordDrawingUsage). What it
 * counts is read in one statement (admissionFacts); admission reads it together with access
 * (./admit.ts) and checks it with `checkCounts`.
 */
export async function checkLimits(
	db: Db | Tx,
	limits: PanelLimits,
	request: { readonly ownerId: string; readonly guildId: string | null },
	now: number,
	count = 1,
	buzz = 0,
): Promise<void> {
	await checkCounts(db, limits, request, now, count, buzz, await readLimitFacts(db, limits, request, now));
}

/**
 * What access and the limits are checked on, read in one statement (src/db/admissionReads.ts): the
 * server's settings, whether the user has a key of their own, their in-flight and waiting drawings,
 * the ledger's counts of the last 24 hours, and the Buzz used where a budget may apply (known only once
 * the settings are: the statement reads those parts when the server's setting asks for them).
 */
export function readLimitFacts(
	db: Db | Tx,
	limits: PanelLimits,
	asker: { readonly ownerId: string; readonly guildId: string | null },
	now: number,
): Promise<AdmissionFacts> {
	return admissionFacts(db, asker, new Date(now - DAY_MS), {
		guildDrawn: limits.perGuildPerDay !== undefined || 'serverDailyLimit',
		userBuzz: limits.buzzPerUserPerDay !== undefined || 'userDailyBuzz',
		guildBuzz: limits.buzzPerGuildPerDay !== undefined || 'serverDailyBuzz',
	});
}

/**
 * The checks of `checkLimits` on counts read already (admissionFacts, since a day before `now`). A
 * part the read left out (a limit it did not know would apply) is read here; a refusal reads when
 * places free up.
 */
export async function checkCounts(
	db: Db | Tx,
	limits: PanelLimits,
	request: { readonly ownerId: string; readonly guildId: string | null },
	now: number,
	count: number,
	buzz: number,
	counts: AdmissionFacts,
): Promise<void> {
	checkQueueCounts(limits, counts, count);
	const user = { userId: request.ownerId };
	const drawn = counts.userDrawn;
	if (drawn + count > limits.perUserPerDay) {
		const full = count === 1 || drawn >= limits.perUserPerDay;
		throw new UserFacingError(
			full
				? `You have drawn ${limits.perUserPerDay} panels in the last 24 hours, the daily limit.`
				: `These ${count} panels would pass your daily limit of ${limits.perUserPerDay} panels: you have drawn ${drawn} in the last 24 hours. Nothing was drawn.`,
			full ? await freedAt(db, user, now, drawn + 1 - limits.perUserPerDay, 'You can draw again') : undefined,
		);
	}
	if (limits.buzzPerUserPerDay !== undefined && buzz > 0) await checkBuzz(db, user, limits.buzzPerUserPerDay, buzz, now, 'your', undefined, counts.userBuzz);

	if (!request.guildId) return;
	const guild = { guildId: request.guildId };
	if (limits.perGuildPerDay !== undefined) {
		const guildDrawn = counts.guildDrawn ?? (await drawingCount(db, guild, now));
		if (guildDrawn + count > limits.perGuildPerDay)
			throw new UserFacingError(
				`This server has drawn ${limits.perGuildPerDay} panels in the last 24 hours, its daily limit.`,
				await freedAt(db, guild, now, guildDrawn + 1 - limits.perGuildPerDay, 'Panels can be drawn here again'),
			);
	}
	if (limits.buzzPerGuildPerDay !== undefined && buzz > 0)
		await checkBuzz(db, guild, limits.buzzPerGuildPerDay, buzz, now, "this server's", undefined, counts.guildBuzz);
}

/**
 * The Buzz budgets alone, for a drawing already admitted whose estimate changed (its whatif): `buzz`
 * against what everything else of the user and the server counts, its own ledger row left out.
 */
export async function checkBuzzBudgets(
	db: Db | Tx,
	limits: Pick<PanelLimits, 'buzzPerUserPerDay' | 'buzzPerGuildPerDay'>,
	request: { readonly ownerId: string; readonly guildId: string | null },
	now: number,
	buzz: number,
	drawingId: string,
): Promise<void> {
	if (buzz <= 0) return;
	if (limits.buzzPerUserPerDay !== undefined) await checkBuzz(db, { userId: request.ownerId }, limits.buzzPerUserPerDay, buzz, now, 'your', drawingId);
	if (request.guildId && limits.buzzPerGuildPerDay !== undefined)
		await checkBuzz(db, { guildId: request.guildId }, limits.buzzPerGuildPerDay, buzz, now, "this server's", drawingId);
}

/** Refuses `buzz` more when it would pass the budget; says how much is left and when enough frees up. `known`: the Buzz used, read already. */
async function checkBuzz(
	db: Db | Tx,
	scope: Scope,
	budget: number,
	buzz: number,
	now: number,
	whose: string,
	except?: string,
	known?: { readonly actual: number; readonly estimated: number } | null,
): Promise<void> {
	const used = known ? known.actual + known.estimated : await buzzSince(db, scope, now - DAY_MS, except);
	if (used + buzz <= budget) return;
	const left = Math.max(0, Math.floor(budget - used));
	const over = used + buzz - budget;
	// The oldest drawings of the day leave the 24 hours first: enough of them must leave to fit this one.
	let freed = 0;
	let at: Date | undefined;
	for (const drawing of await oldestDrawings(db, scope, now, 1_000, except)) {
		freed += drawing.buzz;
		if (freed >= over) {
			at = new Date(drawing.at.getTime() + DAY_MS);
			break;
		}
	}
	throw new UserFacingError(
		`This would cost about ${Math.ceil(buzz)} Buzz, and ${whose} daily budget of ${budget} Buzz has ${left} left (${Math.ceil(used)} used in the last 24 hours). Nothing was drawn.`,
		// A drawing bigger than the whole budget never fits: no moment to wait for.
		at && buzz <= budget ? { lead: 'Enough frees up', at } : undefined,
	);
}

/** When `needed` places of a limit counted over the last 24 hours are free again: a day after the needed-th oldest. */
async function freedAt(db: Db | Tx, scope: Scope, now: number, needed: number, lead: string): Promise<{ lead: string; at: Date } | undefined> {
	const oldest = await oldestDrawings(db, scope, now, Math.max(1, needed));
	const last = oldest[oldest.length - 1];
	return last ? { lead, at: new Date(last.at.getTime() + DAY_MS) } : undefined;
}
