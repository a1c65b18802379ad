import type { Db, Project } from '../../db/database.ts';
import { UserFacingError } from '../errors.ts';
import { accessTo, type Actor, mayUsePanel, NOT_YOUR_BUTTON, refusal } from '../access.ts';

/**
 * The project of a panel about to be deleted (the Delete under `/comic panels delete`'s question), when
 * the presser may delete that panel: its project's owner, a moderator, or the editor who drew it
 * (src/comic/access.ts). Undefined when the project is gone; a panel already gone is left to the delete.
 */
export async function findPanelToDelete(db: Db, actor: Actor, projectId: string, panelId: string): Promise<Project | undefined> {
	const project = await db.project.findUnique({ where: { id: projectId } });
	if (!project) return undefined;
	const [access, panel] = await Promise.all([
		accessTo(db, project, actor),
		db.panel.findFirst({ where: { id: panelId, projectId }, select: { ownerId: true } }),
	]);
	if (access.role === null) throw new UserFacingError(NOT_YOUR_BUTTON);
	if (!mayUsePanel(access, panel ?? { ownerId: '' }, actor, 'delete')) throw refusal(project, access, 'moderate');
	return project;
}
