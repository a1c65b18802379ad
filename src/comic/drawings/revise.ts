import { reviseEstimate } from '../../accounts/ledger.ts';
import { effectiveLimits, type Limits, readSettings } from '../../accounts/settings.ts';
import type { PaidBy } from '../../accounts/spend.ts';
import { type Db, lockUser } from '../../db/database.ts';
import { UserFacingError } from '../errors.ts';
import { checkBuzzBudgets } from './checkLimits.ts';

/**
 * The second half of a picture drawing's admission: its whatif replaces the reservation admission wrote
 * in the limits ledger and is checked against the Buzz budgets again, under the user's turn (as
 * admission is), before anything is submitted or asked: a whatif above the reservation cannot slip past
 * a budget (docs/decisions/016-limits-ledger.md ("Drawings from pictures")). Refused, the drawing's row
 * counts 0 Buzz (nothing is spent) and the refusal is returned in plain words; undefined when it fits.
 */
export async function reviseReservation(
	db: Db,
	env: Limits | undefined,
	drawing: { readonly id: string; readonly ownerId: string; readonly guildId: string | null; readonly paidBy: PaidBy | string },
	estimate: number,
	now: number,
): Promise<string | undefined> {
	return db.$transaction(async (tx) => {
		await lockUser(tx, drawing.ownerId, new Date(now));
		await reviseEstimate(tx, drawing.id, estimate);
		if (!env) return undefined;
		const settings = await readSettings(tx, drawing.guildId);
		// The payer is fixed on the drawing: with the bot's key the environment's budgets bound the server's.
		const decision = effectiveLimits(env, settings, drawing.paidBy === 'user');
		const limits = decision.allowed ? decision.limits : env;
		try {
			await checkBuzzBudgets(tx, limits, { ownerId: drawing.ownerId, guildId: drawing.guildId }, now, estimate, drawing.id);
			return undefined;
		} catch (error) {
			if (!(error instanceof UserFacingError)) throw error;
			await tx.usageEntry.updateMany({ where: { drawingId: drawing.id }, data: { buzzActual: 0 } });
			// Shown in the drawing's message on Discord: the moment in each reader's own time zone.
			const when = error.when ? ` ${error.when.lead} <t:${Math.ceil(error.when.at.getTime() / 1000)}:R>.` : '';
			return `Not drawn: its price is now known (about ${Math.ceil(estimate)} Buzz, more than reserved when it was asked for). ${error.message}${when}`;
		}
	});
}
