import { type Db, lockUser, type Project } from '../db/database.ts';
import { checkProjectRoom, DEFAULT_PROJECTS_PER_USER } from './caps.ts';
import { UserFacingError } from './errors.ts';
import { PROJECT_DESCRIPTION_MAX, PROJECT_NAME_MAX } from './limits.ts';
import { cleanName, nameKey, quote } from './names.ts';

export { PROJECT_DESCRIPTION_MAX, PROJECT_NAME_MAX };

export async function createProject(
	db: Db,
	input: { ownerId: string; name: string; description?: string | null | undefined },
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
			return tx.project.create({ data: { ownerId: input.ownerId, name, nameKey: key, description } });
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
	return typeof error === 'object' && error !== null && 'code' in error && error.code === 'P2002';
}

/**
 * The caller's project named by `ref`: the id an autocomplete choice carries, or the name as
 * typed (any case). Someone else's project is refused, never shown.
 */
export async function findOwnProject(db: Db, ownerId: string, ref: string): Promise<Project> {
	const text = ref.trim();
	if (!text) throw new UserFacingError('Choose one of your projects in the `project` option. See them with `/comic project list`.');
	const byName = await db.project.findUnique({ where: { ownerId_nameKey: { ownerId, nameKey: nameKey(text) } } });
	if (byName) return byName;
	const byId = /^[0-9a-f-]{36}$/i.test(text) ? await db.project.findUnique({ where: { id: text } }) : null;
	if (byId && byId.ownerId === ownerId) return byId;
	if (byId)
		throw new UserFacingError('That project belongs to someone else: only its owner can use or change it. Create your own with `/comic project create`.');
	throw new UserFacingError(
		`You have no project named **${quote(text.slice(0, PROJECT_NAME_MAX))}**. See yours with \`/comic project list\`, or create one with \`/comic project create\`.`,
	);
}

/**
 * A project by id for one of its buttons: undefined when it is gone, refused when it is someone
 * else's (a button press carries no proof that the presser may act on the project).
 */
export async function findOwnProjectById(db: Db, ownerId: string, id: string): Promise<Project | undefined> {
	const project = await db.project.findUnique({ where: { id } });
	if (!project) return undefined;
	if (project.ownerId !== ownerId) throw new UserFacingError('Only the owner of this project can do that. Your own projects are in `/comic project list`.');
	return project;
}

export async function listOwnProjects(db: Db, ownerId: string) {
	return db.project.findMany({
		where: { ownerId },
		orderBy: { createdAt: 'asc' },
		include: { _count: { select: { characters: true, panels: true } } },
	});
}

/** Autocomplete: at most 25 of the user's projects whose name contains what was typed. */
export async function suggestProjects(db: Db, ownerId: string, typed: string): Promise<{ name: string; value: string }[]> {
	const key = nameKey(typed.slice(0, PROJECT_NAME_MAX));
	const projects = await db.project.findMany({
		where: { ownerId, ...(key ? { nameKey: { contains: key } } : {}) },
		orderBy: { createdAt: 'desc' },
		take: suggestionsToRead(key),
		select: { id: true, name: true, nameKey: true },
	});
	return literalMatches(projects, key).map((project) => ({ name: project.name.slice(0, 100), value: project.id }));
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
