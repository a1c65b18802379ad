import type { ImageStore } from '../images/imageStore.ts';
import { type CancelDeps, cancelWorkflow } from './cancelWorkflow.ts';
import { lockUnfinished } from './panels/order.ts';
import { picturesOf, removePictures } from './storage/pictureFiles.ts';
import { type Actor, findProjectById } from './access.ts';

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
export async function deleteProject(deps: DeleteProjectDeps, actor: Actor, projectId: string): Promise<DeletedProject | undefined> {
	// The owner's alone (src/comic/access.ts).
	const project = await findProjectById(deps.db, actor, projectId, 'own');
	if (!project) return undefined;
	const { ownerId } = project;
	// Read and deleted in one transaction, the unfinished drawings' rows written first (lockUnfinished): a
	// workflow is either read here and canceled below, or its submission's outcome finds its row gone and
	// the workflow is canceled then (./generation/orphanedWorkflow.ts). Never neither.
	// Its files are read first; a take stored after this is left to the daily sweep, as below.
	const files = await picturesOf(deps.db, { projectId });
	const gone = await deps.db.$transaction(async (tx) => {
		const { count: locked } = await tx.project.updateMany({ where: { id: projectId, ownerId }, data: { orderVersion: { increment: 1 } } });
		if (locked === 0) return undefined;
		await lockUnfinished(tx, { panel: { projectId } });
		const [characters, panels, unfinished] = await Promise.all([
			tx.character.count({ where: { projectId } }),
			tx.panel.count({ where: { projectId } }),
			tx.drawing.findMany({
				where: { panel: { projectId }, status: { in: ['queued', 'generating'] }, workflowId: { not: null } },
				select: { id: true, workflowId: true, paidBy: true, ownerId: true },
			}),
		]);
		// deleteMany with the owner: a second confirmation racing this one finds nothing to delete.
		const { count } = await tx.project.deleteMany({ where: { id: projectId, ownerId } });
		return count === 0 ? undefined : { characters, panels, unfinished };
	});
	if (!gone) return undefined;
	const { characters, panels, unfinished } = gone;
	deps.log.info({ projectId, panels, canceling: unfinished.length }, 'project deleted');
	// The delete has committed: its pictures go too. A take stored between the read and the delete
	// leaves a file no row points at, which the daily sweep removes.
	await removePictures(deps, files, { projectId });

	const canceled = Promise.allSettled(
		unfinished.map(async ({ id, workflowId, paidBy, ownerId: drawer }) => {
			if (!workflowId) return;
			try {
				await cancelWorkflow(deps, workflowId, paidBy, drawer);
			} catch (error) {
				// The project is gone either way; an uncanceled workflow only runs to its end unseen.
				deps.log.warn({ err: error, drawingId: id, workflowId, projectId }, 'could not cancel the workflow of a deleted project');
			}
		}),
	).then(() => undefined);
	return { name: project.name, characters, panels, canceling: unfinished.length, canceled };
}
