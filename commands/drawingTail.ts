import { start, type ToStart } from '../src/comic/drawings/start.ts';
import type { AppDeps } from '../src/deps.ts';

/** How long work after an acknowledgement waits for the others of a burst to be acknowledged. */
export const AFTER_BURST_MAX_WAIT_MS = 1_500;

/**
 * The tail every command and press that draws shares (a new panel, Redraw, Edit, Change, Draw all,
 * Draw under confirm_above): once its drawings are admitted (stored first: a crash from here on loses
 * nothing), they are started by the one `start` of src/comic/drawings/start.ts. The reply is the
 * drawing's own message, which its steps edit; a drawing that runs here waits first for the others of a
 * burst to be acknowledged (docs/decisions/006-acknowledgements-in-a-burst.md).
 */
export function startDrawings(deps: AppDeps, drawings: ToStart): Promise<void> {
	return start({ jobs: deps.jobs, generation: deps.generation, beforeRun: () => deps.ackGate.quiet(AFTER_BURST_MAX_WAIT_MS) }, drawings);
}
