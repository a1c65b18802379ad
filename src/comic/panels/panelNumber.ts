import { UserFacingError } from '../errors.ts';
import { PANEL_NUMBER_MAX } from '../limits.ts';

/**
 * A panel number as the domain takes it, checked again here and not only by the command's
 * definition: a number outside 1…{@link PANEL_NUMBER_MAX} names no panel, and one past the
 * database's integer would fail on PostgreSQL (P2020) but not on SQLite.
 */
export function checkPanelNumber(number: number): number {
	if (!Number.isSafeInteger(number) || number < 1 || number > PANEL_NUMBER_MAX)
		throw new UserFacingError(`Panels are numbered from 1 to at most ${PANEL_NUMBER_MAX}; ${String(number).slice(0, 30)} is not a panel number.`);
	return number;
}
