import type { DrawingSubject } from './drawingSubject.ts';
import type { GenerationDeps } from './deps.ts';
import { TAKE_BLOB_SELECT } from './takeBlob.ts';

/**
 * How long a story panel drawn from pictures waits for its previous panel's picture, counted from its
 * drawing's creation. Story panels are submitted in order, and each is usually ready in a minute or two;
 * past this bound (a previous panel stuck in a long queue) it is drawn without it.
 */
export const STORY_FOLLOW_WAIT_MS = 2 * 60 * 60 * 1000;
/** How soon a story panel waiting for its previous panel's picture looks again. */
export const STORY_FOLLOW_RETRY_MS = 3_000;

const DRAWING = ['waiting', 'queued', 'generating'] as const;

type TakeRow = NonNullable<Awaited<ReturnType<typeof findChosen>>>;

/**
 * The picture a panel drawn from pictures follows (issue 21, docs/decisions/028-follow.md):
 * - `/comic panel follow:` stored the followed panel on the panel (a Redraw follows it again): its chosen
 *   take, as it is when this drawing is prepared;
 * - a story panel follows the story's previous panel: once that one has its picture; while it is still
 *   being drawn this panel waits (`wait`), up to STORY_FOLLOW_WAIT_MS; a previous panel that failed or
 *   was canceled is not followed.
 * Nothing to follow (`none`) when that panel is gone, has no picture, or its picture is mature and this
 * panel's channel is not age-restricted (a reference must not bring mature content where it is not shown).
 */
export async function followReference(
	deps: Pick<GenerationDeps, 'db'>,
	drawing: DrawingSubject,
	now: number,
): Promise<{ kind: 'none' } | { kind: 'wait' } | { kind: 'take'; take: TakeRow; panelNumber: number }> {
	const { panel } = drawing;
	const { followPanelId } = panel;
	const target = followPanelId
		? await deps.db.panel.findUnique({ where: { id: followPanelId }, select: { id: true, number: true, projectId: true } })
		: panel.storyId
			? await deps.db.panel.findFirst({
					where: { storyId: panel.storyId, projectId: panel.projectId, number: { lt: panel.number } },
					orderBy: { number: 'desc' },
					select: { id: true, number: true, projectId: true },
				})
			: null;
	if (!target || target.projectId !== panel.projectId || target.id === panel.id) return { kind: 'none' };
	const take = await findChosen(deps, target.id);
	if (take) return take.mature && !panel.allowMature ? { kind: 'none' } : { kind: 'take', take, panelNumber: target.number };
	if (followPanelId) return { kind: 'none' };
	const drawingNow = await deps.db.drawing.findFirst({ where: { panelId: target.id }, orderBy: { createdAt: 'desc' }, select: { status: true } });
	const stillDrawn = drawingNow !== null && DRAWING.some((status) => status === drawingNow.status);
	return stillDrawn && now - drawing.createdAt.getTime() < STORY_FOLLOW_WAIT_MS ? { kind: 'wait' } : { kind: 'none' };
}

function findChosen(deps: Pick<GenerationDeps, 'db'>, panelId: string) {
	return deps.db.take.findFirst({ where: { panelId, chosen: true }, select: TAKE_BLOB_SELECT });
}
