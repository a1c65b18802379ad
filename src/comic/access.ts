import type { Db, Project, Tx } from '../db/database.ts';
import type { Prisma } from '../db/database.ts';
import { UserFacingError } from './errors.ts';
import { PROJECT_NAME_MAX } from './limits.ts';
import { nameKey, quote } from './names.ts';

/**
 * Who may do what in a project: the one place that answers it (docs/decisions/026-members.md). Every
 * command, autocomplete, button, modal, the reader and export ask here, so the roles below are the
 * whole truth.
 *
 * - owner: everything, and alone deletes the project, edits it (its engine), removes characters and
 *   adds members;
 * - editor: draws panels (and redraws, edits, changes the ones they drew), letters and moves panels,
 *   runs stories, adds characters and their pictures and draws with the project's cast;
 * - viewer: sees the project in lists and autocomplete, shows, reads and exports it.
 * A server's project (Project.guildId) is seen only in its server, where every member is an editor
 * unless a `removed` row says otherwise; there, members with Manage Server moderate (delete any panel,
 * take away or give back a member's access).
 */

/** Who asks, and where: a server's project exists only inside its server. */
export interface Actor {
	readonly userId: string;
	readonly guildId: string | null;
	/** Manage Server in `guildId`, from the interaction itself (moderates that server's projects). */
	readonly admin?: boolean | undefined;
}

export type Role = 'owner' | 'editor' | 'viewer';
const MEMBER_ROLES = ['editor', 'viewer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
/** A ProjectMember row's role: a member's, or `removed` (a server's project only: no access). */
export const REMOVED = 'removed';

/** What one may do with a project. */
export type Right =
	/** See it in lists and autocomplete, show, read and export it, list its characters and members. */
	| 'read'
	/** Draw panels, run stories, letter and move panels, add characters and their pictures. */
	| 'draw'
	/** Delete any panel, remove a member's access: the owner, or Manage Server on a server's project. */
	| 'moderate'
	/** Delete or edit the project, remove characters, add members. */
	| 'own';

export interface ProjectAccess {
	/** null: the project is not the actor's to see (or it is a server's project seen from elsewhere). */
	readonly role: Role | null;
	/** Manage Server in the server the project belongs to. */
	readonly admin: boolean;
}

type ProjectScope = Pick<Project, 'ownerId' | 'guildId'>;

/** The actor's access to a project, given their ProjectMember row's role (null without one). */
export function accessOf(project: ProjectScope, actor: Actor, memberRole: string | null): ProjectAccess {
	const inItsServer = project.guildId === null || project.guildId === actor.guildId;
	if (!inItsServer) return { role: null, admin: false };
	const admin = project.guildId !== null && actor.admin === true;
	if (project.ownerId === actor.userId) return { role: 'owner', admin };
	if (memberRole === 'editor' || memberRole === 'viewer') return { role: memberRole, admin };
	// Every member of the server draws in the server's project, unless they were removed from it.
	if (project.guildId !== null && memberRole !== REMOVED) return { role: 'editor', admin };
	return { role: null, admin: false };
}

export function may(access: ProjectAccess, right: Right): boolean {
	switch (right) {
		case 'read':
			return access.role !== null;
		case 'draw':
			return access.role === 'owner' || access.role === 'editor';
		case 'moderate':
			return access.role === 'owner' || (access.role !== null && access.admin);
		case 'own':
			return access.role === 'owner';
	}
}

/**
 * A panel's buttons (Redraw, Edit, Change, History, Use, Cancel, Delete): whoever drew it, while they
 * may still draw in the project, and the project's owner; Delete also whoever moderates.
 */
export function mayUsePanel(access: ProjectAccess, panel: { readonly ownerId: string }, actor: Actor, right: 'draw' | 'delete' = 'draw'): boolean {
	if (access.role === 'owner') return true;
	if (right === 'delete' && may(access, 'moderate')) return true;
	return panel.ownerId === actor.userId && may(access, 'draw');
}

const NOT_YOURS =
	'That project belongs to someone else: only its owner and its members can use it. Create your own with `/comic project create`, or ask its owner to add you with `/comic members add`.';

/** A button of a project (named by id) pressed by someone who cannot see the project. */
export const NOT_YOUR_BUTTON = 'Only the owner of this project can do that. Your own projects are in `/comic project list`.';

/** The plain-words refusal of a right the actor lacks in a project they can see. */
export function refusal(project: Pick<Project, 'name' | 'guildId'>, access: ProjectAccess, right: Right): UserFacingError {
	const name = `**${quote(project.name)}**`;
	if (access.role === null) return new UserFacingError(NOT_YOURS);
	if (right === 'draw')
		return new UserFacingError(
			`You may read ${name} but not draw in it: you are one of its viewers. Its owner can make you an editor with \`/comic members add\`.`,
		);
	if (right === 'moderate')
		return new UserFacingError(
			`Only the owner of ${name}${project.guildId ? ' or a member with Manage Server' : ''} can do that. You may draw in it with \`/comic panel\`.`,
		);
	return new UserFacingError(`Only the owner of ${name} can do that.${access.role === 'viewer' ? '' : ' You may draw in it with `/comic panel`.'}`);
}

/** The actor's ProjectMember role in a project, or null. */
async function memberRoleOf(db: Db | Tx, projectId: string, userId: string): Promise<string | null> {
	const row = await db.projectMember.findUnique({ where: { projectId_userId: { projectId, userId } }, select: { role: true } });
	return row?.role ?? null;
}

/** The actor's access to a project row. */
export async function accessTo(db: Db | Tx, project: ProjectScope & { readonly id: string }, actor: Actor): Promise<ProjectAccess> {
	// The owner needs no row: one query saved on the commonest case.
	if (project.ownerId === actor.userId) return accessOf(project, actor, null);
	return accessOf(project, actor, await memberRoleOf(db, project.id, actor.userId));
}

/**
 * The projects an actor may see, as a Prisma filter: their own, those they are a member of, and the
 * projects of the server they are in (unless removed from one); a server's project only in its server.
 */
export function visibleTo(actor: Actor): Prisma.ProjectWhereInput {
	const here = actor.guildId === null ? [] : [{ guildId: actor.guildId }];
	return {
		AND: [
			{ OR: [{ guildId: null }, ...here] },
			{
				OR: [
					{ ownerId: actor.userId },
					{ members: { some: { userId: actor.userId, role: { in: [...MEMBER_ROLES] } } } },
					...(actor.guildId === null ? [] : [{ guildId: actor.guildId, members: { none: { userId: actor.userId, role: REMOVED } } }]),
				],
			},
		],
	};
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The project `ref` names for the actor, checked for `right`: the id an autocomplete choice carries,
 * or a name as typed (any case): their own project of that name first, then one they may see.
 */
export async function findProject(db: Db | Tx, actor: Actor, ref: string, right: Right): Promise<Project> {
	return (await findProjectAccess(db, actor, ref, right)).project;
}

export async function findProjectAccess(db: Db | Tx, actor: Actor, ref: string, right: Right): Promise<{ project: Project; access: ProjectAccess }> {
	const text = ref.trim();
	if (!text) throw new UserFacingError('Choose one of your projects in the `project` option. See them with `/comic project list`.');
	const key = nameKey(text);
	const own = await db.project.findUnique({ where: { ownerId_nameKey: { ownerId: actor.userId, nameKey: key } } });
	// The user's own server comic seen from elsewhere is not found here: another project they may see may be.
	const ownHere = own && accessOf(own, actor, null).role !== null ? own : null;
	const project =
		ownHere ??
		(UUID.test(text) ? await db.project.findUnique({ where: { id: text } }) : null) ??
		(await db.project.findFirst({ where: { nameKey: key, ...visibleTo(actor) }, orderBy: { createdAt: 'asc' } }));
	if (!project && own) throw new UserFacingError(`**${quote(own.name)}** is the comic of another server: it can be used in that server only.`);
	if (!project)
		throw new UserFacingError(
			`You have no project named **${quote(text.slice(0, PROJECT_NAME_MAX))}**. See yours with \`/comic project list\`, or create one with \`/comic project create\`.`,
		);
	const access = await accessTo(db, project, actor);
	if (!may(access, right)) throw refusal(project, access, right);
	return { project, access };
}

/** A project by id for one of its buttons: undefined when it is gone, refused without `right`. */
export async function findProjectById(db: Db | Tx, actor: Actor, id: string, right: Right): Promise<Project | undefined> {
	const project = await db.project.findUnique({ where: { id } });
	if (!project) return undefined;
	const access = await accessTo(db, project, actor);
	// A button names its project by id: someone who cannot see it is told it is not theirs, as before members.
	if (access.role === null) throw new UserFacingError(NOT_YOUR_BUTTON);
	if (!may(access, right)) throw refusal(project, access, right);
	return project;
}

/** What a role may do, in a few words (autocomplete, lists). */
export function roleLabel(role: Role): string {
	return role === 'owner' ? 'owner' : role === 'editor' ? 'editor: may draw' : 'viewer: may read';
}
