import { type Db, lockUser, type Project } from '../db/database.ts';
import { type Actor, findProjectAccess, type MemberRole, may, REMOVED, refusal } from './access.ts';
import { UserFacingError } from './errors.ts';
import { quote } from './names.ts';

/** Rows are free to make: a project has at most this many members (a server's project: this many exceptions). */
export const MAX_MEMBERS_PER_PROJECT = 100;

/**
 * Managing members is moderation (src/comic/access.ts): the owner's on their own project; on a server's
 * project also that of members with Manage Server, who may take a member's access away and give it back.
 */
async function projectToManage(db: Db, actor: Actor, projectRef: string): Promise<Project> {
	const { project, access } = await findProjectAccess(db, actor, projectRef, 'read');
	if (!may(access, 'moderate')) throw refusal(project, access, 'moderate');
	return project;
}

function notTheOwner(project: Project, userId: string): void {
	if (project.ownerId === userId)
		throw new UserFacingError(`<@${userId}> owns **${quote(project.name)}**: an owner always has every right in it, and cannot be made a member.`);
}

/** `/comic members add`: gives (or changes) a user's role in a project. */
export async function addMember(
	db: Db,
	actor: Actor,
	projectRef: string,
	userId: string,
	role: MemberRole,
): Promise<{ project: Project; before: string | null }> {
	const project = await projectToManage(db, actor, projectRef);
	notTheOwner(project, userId);
	const key = { projectId_userId: { projectId: project.id, userId } };
	// Counted and written in the project owner's turn: two additions at once cannot both take the last place.
	const before = await db.$transaction(async (tx) => {
		await lockUser(tx, project.ownerId, new Date());
		const had = (await tx.projectMember.findUnique({ where: key, select: { role: true } }))?.role ?? null;
		if (had === null && (await tx.projectMember.count({ where: { projectId: project.id } })) >= MAX_MEMBERS_PER_PROJECT)
			throw new UserFacingError(`**${quote(project.name)}** has ${MAX_MEMBERS_PER_PROJECT} members, the most a project may have. Remove one first.`);
		await tx.projectMember.upsert({
			where: key,
			create: { projectId: project.id, userId, role, addedBy: actor.userId },
			update: { role, addedBy: actor.userId },
		});
		return had;
	});
	return { project, before };
}

/**
 * `/comic members remove`: takes a user's access away. On a server's project, where every member of
 * the server is an editor without a row, a `removed` row is what takes it away.
 */
export async function removeMember(db: Db, actor: Actor, projectRef: string, userId: string): Promise<{ project: Project }> {
	const project = await projectToManage(db, actor, projectRef);
	notTheOwner(project, userId);
	const key = { projectId_userId: { projectId: project.id, userId } };
	if (project.guildId !== null) {
		await db.projectMember.upsert({
			where: key,
			create: { projectId: project.id, userId, role: REMOVED, addedBy: actor.userId },
			update: { role: REMOVED, addedBy: actor.userId },
		});
		return { project };
	}
	const { count } = await db.projectMember.deleteMany({ where: { projectId: project.id, userId } });
	if (count === 0) throw new UserFacingError(`<@${userId}> is not a member of **${quote(project.name)}**. See its members with \`/comic members list\`.`);
	return { project };
}

/** `/comic members list`: the owner and every member row, for whoever may read the project. */
export async function listMembers(db: Db, actor: Actor, projectRef: string) {
	const { project } = await findProjectAccess(db, actor, projectRef, 'read');
	const members = await db.projectMember.findMany({
		where: { projectId: project.id },
		orderBy: { createdAt: 'asc' },
		take: MAX_MEMBERS_PER_PROJECT,
		select: { userId: true, role: true },
	});
	return { project, members };
}
