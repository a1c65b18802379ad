import type { Character, Db, Project } from '../db/database.ts';
import { findCharacter } from './characters.ts';
import { type Actor, findProject } from './access.ts';

export interface RemovedCharacter {
	readonly project: Project;
	readonly character: Character;
	/** Panels drawn with the character: they stay, without it (the schema sets their characterId to null). */
	readonly panels: number;
}

/** Removes a character from one of the user's projects; its panels keep their rows and images. */
export async function removeCharacter(db: Db, actor: Actor, projectRef: string, characterRef: string): Promise<RemovedCharacter> {
	// The owner's alone: members draw with the cast, they do not shrink it.
	const project = await findProject(db, actor, projectRef, 'own');
	const character = await findCharacter(db, project, characterRef);
	const panels = await db.panel.count({ where: { characterId: character.id } });
	// deleteMany: a removal racing this one leaves nothing to delete instead of throwing.
	await db.character.deleteMany({ where: { id: character.id } });
	return { project, character, panels };
}
