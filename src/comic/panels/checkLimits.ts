import type { Db, Tx } from '../../db/database.ts';
import { UserFacingError } from '../errors.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PanelLimits {
	readonly inFlightPerUser: number;
	readonly perUserPerDay: number;
	readonly perGuildPerDay?: number | undefined;
}

/**
 * The limits every drawing is subject to, a new panel's or a redraw's: drawings in flight per user, per
 * user and per server in the last 24 hours. Run before the acknowledgement, and again inside the
 * transaction that stores the drawing, after the user's turn is taken (lockUser).
 */
export async function checkLimits(
	db: Db | Tx,
	limits: PanelLimits,
	request: { readonly ownerId: string; readonly guildId: string | null },
	now: number,
): Promise<void> {
	// One query for both per-user limits: drawings in flight are always recent (they time out after 25 minutes).
	const since = new Date(now - DAY_MS);
	const mine = await db.drawing.findMany({
		where: { ownerId: request.ownerId, createdAt: { gte: since } },
		select: { createdAt: true, status: true },
		orderBy: { createdAt: 'asc' },
		take: limits.perUserPerDay,
	});
	const inFlight = mine.filter((drawing) => drawing.status === 'queued' || drawing.status === 'generating').length;
	if (inFlight >= limits.inFlightPerUser)
		throw new UserFacingError(
			`You already have ${inFlight} panel${inFlight === 1 ? '' : 's'} being drawn; the limit is ${limits.inFlightPerUser} at a time. Try again as soon as one of them is finished.`,
		);
	if (mine.length >= limits.perUserPerDay)
		throw new UserFacingError(
			`You have drawn ${limits.perUserPerDay} panels in the last 24 hours, the daily limit.`,
			freedAt(mine[0]?.createdAt, 'You can draw again'),
		);

	if (limits.perGuildPerDay !== undefined && request.guildId) {
		const guild = await db.drawing.findMany({
			where: { guildId: request.guildId, createdAt: { gte: since } },
			select: { createdAt: true },
			orderBy: { createdAt: 'asc' },
			take: limits.perGuildPerDay,
		});
		if (guild.length >= limits.perGuildPerDay)
			throw new UserFacingError(
				`This server has drawn ${limits.perGuildPerDay} panels in the last 24 hours, its daily limit.`,
				freedAt(guild[0]?.createdAt, 'Panels can be drawn here again'),
			);
	}
}

/** When a limit counted over the last 24 hours frees a place again: a day after the oldest that counts. */
function freedAt(oldest: Date | undefined, lead: string): { lead: string; at: Date } | undefined {
	return oldest ? { lead, at: new Date(oldest.getTime() + DAY_MS) } : undefined;
}
