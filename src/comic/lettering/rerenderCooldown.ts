import type { Db } from '../../db/database.ts';
import { UserFacingError } from '../errors.ts';
import { isUniqueViolation } from '../projects.ts';

/**
 * Takes the user's turn for a free re-render (new words lettered on a panel's pictures: no Buzz, but
 * seconds of CPU and megabytes of disk each), at most one per `cooldownMs`. Kept on the user's
 * UserSlot row, so it holds across restarts and processes; one conditional update decides, so two
 * presses at once cannot both pass. A refusal says when to try again and changes nothing.
 */
export async function takeRerenderTurn(db: Db, userId: string, cooldownMs: number, now = Date.now()): Promise<void> {
	if (cooldownMs <= 0) return;
	const { count } = await db.userSlot.updateMany({
		where: { userId, OR: [{ rerenderAt: null }, { rerenderAt: { lte: new Date(now - cooldownMs) } }] },
		data: { rerenderAt: new Date(now) },
	});
	if (count === 1) return;
	const row = await db.userSlot.findUnique({ where: { userId }, select: { rerenderAt: true } });
	if (!row) {
		try {
			await db.userSlot.create({ data: { userId, rerenderAt: new Date(now) } });
			return;
		} catch (error) {
			// Another press made the row in the same instant: it took the turn.
			if (!isUniqueViolation(error)) throw error;
		}
	}
	const last = row?.rerenderAt?.getTime() ?? now;
	const seconds = Math.max(1, Math.ceil((last + cooldownMs - now) / 1000));
	throw new UserFacingError(`You changed a panel's words a moment ago. Try again in ${seconds} s; nothing was changed.`);
}
