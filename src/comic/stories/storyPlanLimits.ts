import { DAY_MS, recordStoryPlanUsage, storyPlansSince } from '../../accounts/ledger.ts';
import { type Db, lockUser } from '../../db/database.ts';
import { UserFacingError } from '../errors.ts';

/** MAX_STORY_PLANS_PER_USER_PER_DAY's default: each plan is one or two LLM calls and a stored plan. */
export const DEFAULT_STORY_PLANS_PER_DAY = 20;

/**
 * Takes one of the user's daily story plans, or refuses: counted in the limits ledger before the LLM is
 * asked (a plan that fails still cost a call), under the user's turn so two commands cannot both take
 * the last one.
 */
export async function takeStoryPlan(
	db: Db,
	request: { readonly ownerId: string; readonly guildId: string | null },
	perDay: number,
	now: number,
): Promise<void> {
	await db.$transaction(async (tx) => {
		await lockUser(tx, request.ownerId, new Date(now));
		const planned = await storyPlansSince(tx, request.ownerId, now, perDay);
		if (planned.length >= perDay) {
			const oldest = planned[0];
			throw new UserFacingError(
				`You have planned ${perDay} stories in the last 24 hours, the daily limit. Nothing was planned.`,
				oldest ? { lead: 'You can plan again', at: new Date(oldest.getTime() + DAY_MS) } : undefined,
			);
		}
		await recordStoryPlanUsage(tx, { userId: request.ownerId, guildId: request.guildId }, now);
	});
}

/**
 * Removes story plans never drawn that are older than `ttlMs` (they can no longer be drawn): run by the
 * job runner's periodic upkeep and when a user plans a new story. Returns how many were removed.
 */
export async function removeExpiredPlans(db: Db, ttlMs: number, now: number, ownerId?: string): Promise<number> {
	const { count } = await db.storyPlan.deleteMany({
		where: { status: 'planned', createdAt: { lt: new Date(now - ttlMs) }, ...(ownerId ? { ownerId } : {}) },
	});
	return count;
}
