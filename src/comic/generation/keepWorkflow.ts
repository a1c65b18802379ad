import type { Db } from '../../db/database.ts';

/**
 * Stores a just-submitted workflow's id on its drawing at once, before the step's outcome: a Cancel, a
 * story's cancel or a delete that reads the row from now on finds the workflow and cancels it. Done
 * under the project row's lock, which deleting a panel or a project also takes to read the workflows
 * it cancels (../panels/order.ts, ../deleteProject.ts): either the deleter reads this id, or this finds
 * the row gone and answers false, and the caller cancels the workflow itself (nobody else will).
 */
export async function keepWorkflowId(
	db: Db,
	drawing: { readonly id: string; readonly panel: { readonly projectId: string } },
	workflowId: string,
): Promise<boolean> {
	return db.$transaction(async (tx) => {
		// The lock lockOrder takes, without its refusal: a project gone is an answer here, not an error.
		const { count: project } = await tx.project.updateMany({ where: { id: drawing.panel.projectId }, data: { orderVersion: { increment: 1 } } });
		if (project === 0) return false;
		const { count } = await tx.drawing.updateMany({ where: { id: drawing.id }, data: { workflowId } });
		return count === 1;
	});
}
