import { UserFacingError } from '../errors.ts';
import { EXPORT_PANELS_MAX } from '../limits.ts';

export interface PanelRange {
	readonly from: number;
	readonly to: number;
}

/**
 * `1-8` or `3` (spaces and en dashes allowed) within a project of `count` panels; all of them when left
 * out. Past the project's end, or more than {@link EXPORT_PANELS_MAX} panels, is a refusal that says
 * which ranges work.
 */
export function panelRange(text: string | null | undefined, count: number): PanelRange {
	if (count === 0) throw new UserFacingError('This project has no panels yet. Draw one with `/comic panel`.');
	const typed = text?.trim();
	const match = typed ? /^(\d{1,6})\s*(?:[-–]\s*(\d{1,6}))?$/.exec(typed) : undefined;
	if (typed && !match) throw new UserFacingError('Give `panels` as one number, like `3`, or a range, like `1-8`.');
	const from = match ? Number(match[1]) : 1;
	const to = match ? Number(match[2] ?? match[1]) : count;
	if (from < 1 || to < from) throw new UserFacingError(`\`${typed}\` is not a range from low to high: try \`1-${count}\`.`);
	if (from > count || to > count) throw new UserFacingError(`This project has panels 1 to ${count}, so \`${typed}\` is outside it.`);
	if (to - from + 1 > EXPORT_PANELS_MAX) {
		const end = Math.min(from + EXPORT_PANELS_MAX - 1, to);
		throw new UserFacingError(
			`An export takes at most ${EXPORT_PANELS_MAX} panels and this asks for ${to - from + 1}. Export a range at a time with the \`panels\` option, e.g. \`${from}-${end}\`, then \`${end + 1}-${Math.min(end + EXPORT_PANELS_MAX, to)}\`.`,
		);
	}
	return { from, to };
}

export function describeRange(range: PanelRange): string {
	return range.from === range.to ? `panel ${range.from}` : `panels ${range.from}–${range.to}`;
}
