import type { ImageStore } from '../../images/imageStore.ts';
import { type CancelDeps, cancelWorkflow } from '../cancelWorkflow.ts';
import { removePictures } from '../storage/pictureFiles.ts';
import { UserFacingError } from '../errors.ts';
import { removePanel } from './order.ts';
import type { Actor } from '../access.ts';
import { findOwnDrawing } from '../drawings/ownDrawing.ts';

export interface DeletedPanel {
	readonly number: number;
	readonly projectName: string;
	/** Panels after it, now one lower. */
	readonly moved: number;
	/** Settles once the orchestrator was told about the unfinished workflows; never rejects. */
	readonly canceled: Promise<void>;
}

/**
 * Takes the panel of a drawing out of its project (its drawings and takes go with it) and moves the
 * later panels up one, in one transaction that takes the project's order lock ({@link removePanel}), so
 * moves, deletes and new panels racing it never leave a gap or a duplicate. Unfinished workflows are
 * canceled so they stop spending Buzz. The panel's picture files are removed once the delete has committed.
 */
export async function deletePanel(deps: CancelDeps & { readonly images: ImageStore }, actor: Actor, drawingId: string): Promise<DeletedPanel> {
	const { panel } = await findOwnDrawing(deps.db, actor, drawingId, 'delete');
	// A second confirmation racing this one finds nothing to delete.
	const removed = await removePanel(deps.db, panel.projectId, panel.id);
	if (!removed) throw new UserFacingError('This panel was already deleted. Nothing was changed.');
	deps.log.info({ panelId: panel.id, projectId: panel.projectId, moved: removed.shifted, canceling: removed.unfinished.length }, 'panel deleted');
	// The delete has committed: its pictures go too (plain and lettered, every take).
	await removePictures(deps, removed.files, { panelId: panel.id });
	const canceled = Promise.allSettled(
		removed.unfinished.map(async ({ drawingId: id, workflowId, paidBy, ownerId }) => {
			// accounts: canceled with the key that submitted it
			await cancelWorkflow(deps, workflowId, paidBy, ownerId).catch((error: unknown) => {
				// The panel is gone either way; an uncanceled workflow only runs to its end unseen.
				deps.log.warn({ err: error, drawingId: id, workflowId }, 'could not cancel the workflow of a deleted panel');
			});
		}),
	).then(() => undefined);
	return { number: removed.number, projectName: panel.project.name, moved: removed.shifted, canceled };
}
