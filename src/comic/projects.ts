import { z } from 'zod';
import { type Db, lockUser, type Project } from '../db/database.ts';
import { type Actor, accessOf, roleLabel, visibleTo } from './access.ts';
import { checkProjectRoom, DEFAULT_PROJECTS_PER_USER } from './caps.ts';
import { UserFacingError } from './errors.ts';
import { PROJECT_DESCRIPTION_MAX, PROJECT_NAME_MAX } from './limits.ts';
import { cleanName, nameKey, quote } from './names.ts';

export { PROJECT_DESCRIPTION_MAX, PROJECT_NAME_MAX };

export async function createProject(
	db: Db,
	input: { ownerId: string; name: string; description?: string | null | undefined; guildId?: string | null | undefined },
	projectsPerUser = DEFAULT_PROJECTS_PER_USER,
): Promise<Project> {
	const name = cleanName(input.name);
	const description = input.description?.trim() || null;
	if (!name) throw new UserFacingError('The project name is empty. Give it a name of 1 to 100 characters.');
	if (name.length > PROJECT_NAME_MAX)
		throw new UserFacingError(`The project name is ${name.length} characters long; the limit is ${PROJECT_NAME_MAX}. Choose a shorter name.`);
	if (description && description.length > PROJECT_DESCRIPTION_MAX)
		throw new UserFacingError(`The description is ${description.length} characters long; the limit is ${PROJECT_DESCRIPTION_MAX}. Shorten it.`);
	const key = nameKey(name);
	const existing = await db.project.findUnique({ where: { ownerId_nameKey: { ownerId: input.ownerId, nameKey: key } }, select: { id: true } });
	if (existing) throw duplicate(name);
	await checkProjectRoom(db, input.ownerId, projectsPerUser);
	try {
		// Counted again under the user's turn: two creations at once cannot both take the last place.
		return await db.$transaction(async (tx) => {
			await lockUser(tx, input.ownerId, new Date());
			await checkProjectRoom(tx, input.ownerId, projectsPerUser);
			return tx.project.create({ data: { ownerId: input.ownerId, name, nameKey: key, description, guildId: input.guildId ?? null } });
		});
	} catch (error) {
		// Two creations raced past the check above: the unique index decides.
		if (isUniqueViolation(error)) throw duplicate(name);
		throw error;
	}
}

function duplicate(name: string): UserFacingError {
	return new UserFacingError(
		`You already have a project named **${quote(name)}**: a project with that name already exists. Pick another name, or use the existing one.`,
	);
}

export function isUniqueViolation(error: unknown): boolean {
	if (typeof error !== 'object' || error === null || !('code' in error)) return false;
	// A statement written in SQL fails as P2010, with the database's own kind of error.
	return error.code === 'P2002' || (error.code === 'P2010' && RAW_UNIQUE_VIOLATION.safeParse(error).success);
}

const RAW_UNIQUE_VIOLATION = z.object({
	meta: z.object({ driverAdapterError: z.object({ cause: z.object({ kind: z.literal('UniqueConstraintViolation') }) }) }),
});

/** The projects an actor may see (src/comic/access.ts): their own first, then the others, oldest first. */
export async function listProjects(db: Db, actor: Actor) {
	const projects = await db.project.findMany({
		where: visibleTo(actor),
		orderBy: { createdAt: 'asc' },
		take: 200,
		include: { _count: { select: { characters: true, panels: true } }, members: { where: { userId: actor.userId }, select: { role: true } } },
	});
	const rows = projects.map(({ members, ...project }) => ({ ...project, role: accessOf(project, actor, members[0]?.role ?? null).role ?? 'viewer' }));
	return [...rows.filter((row) => row.role === 'owner'), ...rows.filter((row) => row.role !== 'owner')];
}

/**
 * Autocomplete: at most 25 of the projects the actor may see whose name contains what was typed,
 * each saying what the actor may do in it when it is not their own.
 */
export async function suggestProjects(db: Db, actor: Actor, typed: string): Promise<{ name: string; value: string }[]> {
	const key = nameKey(typed.slice(0, PROJECT_NAME_MAX));
	const projects = await db.project.findMany({
		where: { ...visibleTo(actor), ...(key ? { nameKey: { contains: key } } : {}) },
		orderBy: { createdAt: 'desc' },
		take: suggestionsToRead(key),
		select: { id: true, name: true, nameKey: true, ownerId: true, guildId: true, members: { where: { userId: actor.userId }, select: { role: true } } },
	});
	return literalMatches(projects, key).map((project) => {
		const role = accessOf(project, actor, project.members[0]?.role ?? null).role;
		const label = role === null || role === 'owner' ? '' : ` (${project.guildId ? 'server, ' : ''}${roleLabel(role)})`;
		return { name: `${project.name.slice(0, 100 - label.length)}${label}`, value: project.id };
	});
}

/**
 * Prisma's `contains` is SQL LIKE and does not escape `%` or `_`, so typing them widens the match:
 * read more rows then, and keep those that really contain the text.
 */
export function suggestionsToRead(key: string): number {
	return /[%_]/.test(key) ? 200 : 25;
}

export function literalMatches<T extends { nameKey: string }>(rows: readonly T[], key: string): T[] {
	return rows.filter((row) => row.nameKey.includes(key)).slice(0, 25);
}
