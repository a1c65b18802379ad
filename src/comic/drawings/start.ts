import type { JobRunner } from '../../jobs/runner.ts';
import type { GenerationDeps } from '../generation/deps.ts';
import { DRAWING_JOB } from '../generation/drawingJob.ts';
import type { DrawingSubject } from '../generation/drawingSubject.ts';
import { showWaiting } from '../generation/showWaiting.ts';

export interface StartDeps {
	/** The job runner (only its type is known here: the domain never imports the runner). */
	readonly jobs: Pick<JobRunner, 'run' | 'poke'>;
	readonly generation: Pick<GenerationDeps, 'db' | 'log' | 'messenger'>;
	/**
	 * Waited for before a drawing leased to the caller runs (the acknowledgements of a burst: others
	 * drawing at the same moment are acknowledged before this drawing's prompt and submission go on).
	 */
	readonly beforeRun?: (() => Promise<void>) | undefined;
}

/** What a way of drawing hands to `start`: an admission's result (./admit.ts), or a drawing made due again. */
export interface ToStart {
	/**
	 * A drawing leased to the caller with a free slot (a new panel, a redraw): run now under this claim;
	 * `first`: its subject as the caller holds it, and the claim's end, so its first run need not read it.
	 */
	readonly leased?:
		| {
				readonly drawingId: string;
				readonly claim: string;
				readonly waiting: boolean;
				readonly ahead: number;
				readonly first?: { readonly subject: DrawingSubject; readonly until: Date } | undefined;
		  }
		| undefined;
	/** Drawings made due for any runner (promoted into free slots, or let through by Draw): the runner is woken. */
	readonly due: readonly string[];
}

/**
 * The one start of every drawing, after admission (or after the owner's Draw under confirm_above):
 * drawings made due wake the runner; a drawing over the in-flight limit shows that it waits, in its own
 * message, until a slot frees; a drawing leased to the caller runs at once, its steps taking it as far
 * as they go (should this process die, its lease runs out and a runner takes it over). Stored first,
 * so a crash at any point here loses nothing. See docs/decisions/023-drawings-module.md.
 */
export async function start(deps: StartDeps, drawing: ToStart): Promise<void> {
	if (drawing.due.length > 0) void deps.jobs.poke();
	const { leased } = drawing;
	if (!leased) return;
	if (leased.waiting) {
		// Over the in-flight limit: the message says so until a slot frees and the drawing starts.
		if (!drawing.due.includes(leased.drawingId)) await showWaiting(deps.generation, leased.drawingId, leased.ahead);
		return;
	}
	await deps.beforeRun?.();
	await deps.jobs.run(DRAWING_JOB, leased.drawingId, leased.claim, leased.first);
}

/** An admitted drawing of a command or press, leased to it (`claim`) when it had a free slot. */
export function admittedOne(
	admitted: {
		readonly drawing: { readonly id: string };
		readonly placement: { readonly status: string; readonly ahead: number };
		readonly promoted: readonly string[];
	},
	claim: string,
	first?: { readonly subject: DrawingSubject; readonly until: Date },
): ToStart {
	return {
		leased: { drawingId: admitted.drawing.id, claim, waiting: admitted.placement.status === 'waiting', ahead: admitted.placement.ahead, first },
		due: admitted.promoted,
	};
}
