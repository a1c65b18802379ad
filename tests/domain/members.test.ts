// Members on a real database without Discord (src/comic/members.ts, src/comic/access.ts): who finds a
// project by name or id, what autocomplete offers each, and how adding and removing changes it; a
// server's comic, where removing writes a `removed` row and adding gives the access back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { findProject } from '../../src/comic/access.ts';
import { addMember, listMembers, MAX_MEMBERS_PER_PROJECT, removeMember } from '../../src/comic/members.ts';
import { createProject, suggestProjects } from '../../src/comic/projects.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { freshDatabase } from '../databases.ts';

let database: Database;
let dropDatabase: () => Promise<void>;
let dataDir: string;

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'comic-members-'));
	const fresh = await freshDatabase();
	dropDatabase = fresh.drop;
	database = await openDatabase({ databaseUrl: fresh.url, dataDir });
});

afterAll(async () => {
	await database?.close();
	await dropDatabase?.();
	rmSync(dataDir, { recursive: true, force: true });
});

const db = () => database.db;
const here = 'guild-1';

test('a member finds the project by name and id, sees their role in autocomplete, and loses both when removed', async () => {
	const owner = { userId: 'o-1', guildId: here };
	const project = await createProject(db(), { ownerId: owner.userId, name: 'Shared Saga' });
	const member = { userId: 'm-1', guildId: null };
	await expect(findProject(db(), member, 'shared saga', 'read')).rejects.toThrow('no project named');
	await addMember(db(), owner, 'Shared Saga', member.userId, 'viewer');
	expect((await findProject(db(), member, 'shared saga', 'read')).id).toBe(project.id);
	await expect(findProject(db(), member, project.id, 'draw')).rejects.toThrow('not draw in it');
	expect(await suggestProjects(db(), member, 'saga')).toEqual([{ name: 'Shared Saga (viewer: may read)', value: project.id }]);
	// Added again as an editor: the role changes in place (one row).
	expect((await addMember(db(), owner, project.id, member.userId, 'editor')).before).toBe('viewer');
	expect((await findProject(db(), member, project.id, 'draw')).id).toBe(project.id);
	expect((await listMembers(db(), member, project.id)).members).toEqual([{ userId: member.userId, role: 'editor' }]);
	// Neither the member nor the owner as a member; only the owner manages.
	await expect(addMember(db(), member, project.id, 'x-1', 'editor')).rejects.toThrow('Only the owner');
	await expect(addMember(db(), owner, project.id, owner.userId, 'viewer')).rejects.toThrow('owns');
	await removeMember(db(), owner, project.id, member.userId);
	await expect(findProject(db(), member, project.id, 'read')).rejects.toThrow('belongs to someone else');
	expect(await suggestProjects(db(), member, '')).toEqual([]);
	await expect(removeMember(db(), owner, project.id, member.userId)).rejects.toThrow('is not a member');
});

test("a server's comic: every member of the server is an editor, a removal is a row, adding gives it back; an admin moderates", async () => {
	const owner = { userId: 'o-2', guildId: here };
	const town = await createProject(db(), { ownerId: owner.userId, name: 'Town', guildId: here });
	const member = { userId: 'm-2', guildId: here };
	expect(await suggestProjects(db(), member, 'town')).toEqual([{ name: 'Town (server, editor: may draw)', value: town.id }]);
	expect((await findProject(db(), member, 'Town', 'draw')).id).toBe(town.id);
	await expect(removeMember(db(), member, town.id, 'm-3')).rejects.toThrow('Manage Server');
	const admin = { userId: 'a-2', guildId: here, admin: true };
	await removeMember(db(), admin, town.id, member.userId);
	expect(await db().projectMember.findMany({ where: { projectId: town.id }, select: { userId: true, role: true } })).toEqual([
		{ userId: member.userId, role: 'removed' },
	]);
	await expect(findProject(db(), member, town.id, 'read')).rejects.toThrow('belongs to someone else');
	expect(await suggestProjects(db(), member, 'town')).toEqual([]);
	expect((await addMember(db(), admin, town.id, member.userId, 'editor')).before).toBe('removed');
	expect((await findProject(db(), member, town.id, 'draw')).id).toBe(town.id);
	// An admin still does not own it.
	await expect(findProject(db(), admin, town.id, 'own')).rejects.toThrow('Only the owner');
});

test(`a project has at most ${MAX_MEMBERS_PER_PROJECT} members`, async () => {
	const owner = { userId: 'o-3', guildId: null };
	const project = await createProject(db(), { ownerId: owner.userId, name: 'Crowded' });
	await db().projectMember.createMany({
		data: Array.from({ length: MAX_MEMBERS_PER_PROJECT }, (_, index) => ({
			projectId: project.id,
			userId: `u-${index}`,
			role: 'viewer',
			addedBy: owner.userId,
		})),
	});
	await expect(addMember(db(), owner, project.id, 'one-more', 'editor')).rejects.toThrow(`has ${MAX_MEMBERS_PER_PROJECT} members`);
	// Changing an existing member's role is still allowed.
	expect((await addMember(db(), owner, project.id, 'u-0', 'editor')).before).toBe('viewer');
});
