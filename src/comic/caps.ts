import type { Db, Tx } from '../db/database.ts';
import { UserFacingError } from './errors.ts';
import { quote } from './names.ts';

/** MAX_PROJECTS_PER_USER's and MAX_CHARACTERS_PER_PROJECT's defaults: rows are free to make, so they are bounded. */
export const DEFAULT_PROJECTS_PER_USER = 50;
export const DEFAULT_CHARACTERS_PER_PROJECT = 25;

/** Refuses a new project when the user has `max` already (checked again under the user's turn when it is stored). */
export async function checkProjectRoom(db: Db | Tx, ownerId: string, max: number): Promise<void> {
	const count = await db.project.count({ where: { ownerId } });
	if (count >= max)
		throw new UserFacingError(
			`You have ${count} projects, and ${max} is the most one person may have. Delete one you no longer need with \`/comic project delete\`, then create this one.`,
		);
}

/** Refuses a new character when the project has `max` already (checked again under the owner's turn when it is stored). */
export async function checkCharacterRoom(db: Db | Tx, project: { readonly id: string; readonly name: string }, max: number): Promise<void> {
	const count = await db.character.count({ where: { projectId: project.id } });
	if (count >= max)
		throw new UserFacingError(
			`**${quote(project.name)}** has ${count} characters, and ${max} is the most a project may have. Remove one with \`/comic character remove\`, then add this one.`,
		);
}
