import { viewOf } from './deliver.ts';
import type { GenerationDeps } from './deps.ts';
import { drawingToShow } from './drawingSubject.ts';

/**
 * The message of a drawing that waits in its owner's queue (over the in-flight limit), until a slot
 * frees and it starts. A failure here changes nothing: the drawing's own edits follow.
 */
export async function showWaiting(deps: Pick<GenerationDeps, 'db' | 'log' | 'messenger'>, drawingId: string, ahead: number): Promise<void> {
	const drawing = await drawingToShow(deps.db, drawingId);
	if (!drawing) return;
	const result = await deps.messenger({ ...viewOf(drawing, [], null), ahead }).catch((error: unknown) => ({ ok: false as const, reason: String(error) }));
	if (!result.ok) deps.log.warn({ drawingId, reason: result.reason }, 'could not show the panel as waiting');
}
