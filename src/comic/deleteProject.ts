import type { ImageStore } from '../images/imageStore.ts';
import { type CancelDeps, cancelWorkflow } from './cancelWorkflow.ts';
import { picturesOf, removePictures } from './storage/pictureFiles.ts';
import { findOwnProjectById } from './projects.ts';

export type DeleteProjectDeps = CancelDeps & { readonly images: ImageStore };

export interface DeletedProject {
	readonly name: string;
	readonly characters: number;
	readonly panels: number;
	/** How many unfinished workflows are being canceled at the orchestrator. */
	readonly canceling: number;
	/**
	 * Settles once the orchestrator was told about every unfinished workflow; never rejects. Kept apart
	 * so the caller can answer Discord first: each cancel may take the orchestrator's full timeout.
	 */
	readonly canceled: Promise<void>;
}

/**
 * Deletes one of the user's projects, its characters and panels (the schema cascades), and cancels
 * its unfinished workflows so they stop spending Buzz, and removes its picture files. Undefined when the project is already gone.
 */
export async function deleteProject(deps: DeleteProjectDeps, ownerId: string, projectId: string): Promise<DeletedProject | undefined> {
	const project = await findOwnProjectById(deps.db, ownerId, projectId);
	if (!project) return undefined;
	const [characters, panels, unfinished, files] = await Promise.all([
		deps.db.character.count({ where: { projectId } }),
		deps.db.panel.count({ where: { projectId } }),
		deps.db.drawing.findMany({
			where: { panel: { projectId }, status: { in: ['queued', 'generating'] }, workflowId: { not: null } },
			select: { id: true, workflowId: true, paidBy: true },
		}),
		picturesOf(deps.db, { projectId }),
	]);
	// deleteMany with the owner: a second confirmation racing this one finds nothing to delete.
	const { count } = await deps.db.project.deleteMany({ where: { id: projectId, ownerId } });
	if (count === 0) return undefined;
	deps.log.info({ projectId, panels, canceling: unfinished.length }, 'project deleted');
	// The delete has committed: its pictures go too. A take stored between the read and the delete
	// leaves a file no row points at, which the daily sweep removes.
	await removePictures(deps, files, { projectId });

	const canceled = Promise.allSettled(
		unfinished.map(async ({ id, workflowId, paidBy }) => {
			if (!workflowId) return;
			try {
				await cancelWorkflow(deps, workflowId, paidBy);
			} catch (error) {
				// The project is gone either way; an uncanceled workflow only runs to its end unseen.
				deps.log.warn({ err: error, drawingId: id, workflowId, projectId }, 'could not cancel the workflow of a deleted project');
			}
		}),
	).then(() => undefined);
	return { name: project.name, characters, panels, canceling: unfinished.length, canceled };
}
