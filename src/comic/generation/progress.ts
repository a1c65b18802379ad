import type { Workflow } from '../../civitai/orchestrator.ts';
import type { DrawingUpdate } from '../../db/database.ts';
import type { DrawingSubject } from './drawingSubject.ts';

/** Progress edits of one drawing's message: at most one this often… */
export const PROGRESS_MIN_GAP_MS = 10_000;
/** …and at most this many (the announcement after submission included). The final edit is not one of them. */
export const PROGRESS_MAX_EDITS = 6;

const WAITING = new Set(['unassigned', 'preparing', 'scheduled']);

/**
 * What the message says while the workflow runs, from what the orchestrator tells: waiting in its
 * queue (how many jobs are ahead) or drawing, and the time left from its estimate. Rounded, so that
 * the text changes (and the message is edited) only when a reader would notice.
 */
export function progressText(workflow: Workflow, now: number): string {
	const job = workflow.steps.flatMap((step) => step.jobs ?? [])[0];
	const completeAt = Date.parse(job?.queuePosition?.completeAt ?? '');
	const left = Number.isNaN(completeAt) ? undefined : roughly(completeAt - now);
	if (WAITING.has(job?.status ?? workflow.status)) {
		const ahead = job?.queuePosition?.precedingJobs;
		const queue = typeof ahead === 'number' && ahead > 0 ? `queued, ${ahead} ahead` : 'queued, next in line';
		return left ? `${queue} · done in ${left}` : queue;
	}
	return left ? `drawing · ${left} left` : 'drawing';
}

function roughly(ms: number): string | undefined {
	if (ms <= 5_000) return 'a few seconds';
	if (ms < 60_000) return `about ${Math.round(ms / 10_000) * 10} s`;
	return `about ${Math.round(ms / 60_000)} min`;
}

/**
 * The columns that record a progress edit, when this text should be shown now: it differs from what
 * the message shows, the last edit is at least 10 s old and fewer than six were made. Stored on the row,
 * so every process keeps the bounds.
 */
export function progressEdit(
	drawing: Pick<DrawingSubject, 'progressText' | 'progressShownAt' | 'progressEdits'>,
	text: string,
	now: number,
): DrawingUpdate | undefined {
	if (text === drawing.progressText || drawing.progressEdits >= PROGRESS_MAX_EDITS) return undefined;
	if (drawing.progressShownAt && now - drawing.progressShownAt.getTime() < PROGRESS_MIN_GAP_MS) return undefined;
	return { progressText: text, progressShownAt: new Date(now), progressEdits: drawing.progressEdits + 1 };
}
