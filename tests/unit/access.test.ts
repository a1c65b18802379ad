// The table of who may do what (src/comic/access.ts, docs/decisions/026-members.md), role by role,
// right by right: the e2e tests prove each way in asks it; this proves what it answers.
import { expect, test } from 'vitest';
import { type Actor, accessOf, may, mayUsePanel, type Right } from '../../src/comic/access.ts';

const owner = 'owner';
const guild = 'guild-1';
const personal = { ownerId: owner, guildId: null };
const server = { ownerId: owner, guildId: guild };
const RIGHTS: readonly Right[] = ['read', 'draw', 'moderate', 'own'];
const rightsOf = (project: typeof personal | typeof server, actor: Actor, row: string | null) =>
	RIGHTS.filter((right) => may(accessOf(project, actor, row), right));

test('on a personal project: the owner has every right, an editor reads and draws, a viewer reads, anyone else nothing', () => {
	expect(rightsOf(personal, { userId: owner, guildId: null }, null)).toEqual(['read', 'draw', 'moderate', 'own']);
	expect(rightsOf(personal, { userId: 'e', guildId: guild }, 'editor')).toEqual(['read', 'draw']);
	expect(rightsOf(personal, { userId: 'v', guildId: null }, 'viewer')).toEqual(['read']);
	expect(rightsOf(personal, { userId: 's', guildId: guild }, null)).toEqual([]);
	// Manage Server means nothing on a personal project, and a removed row gives nothing.
	expect(rightsOf(personal, { userId: 's', guildId: guild, admin: true }, null)).toEqual([]);
	expect(rightsOf(personal, { userId: 'e', guildId: guild, admin: true }, 'editor')).toEqual(['read', 'draw']);
	expect(rightsOf(personal, { userId: 'r', guildId: guild }, 'removed')).toEqual([]);
});

test("on a server's project: every member of the server draws, an admin moderates but does not own, a removed member has nothing, elsewhere nobody sees it", () => {
	expect(rightsOf(server, { userId: owner, guildId: guild }, null)).toEqual(['read', 'draw', 'moderate', 'own']);
	expect(rightsOf(server, { userId: 'm', guildId: guild }, null)).toEqual(['read', 'draw']);
	expect(rightsOf(server, { userId: 'v', guildId: guild }, 'viewer')).toEqual(['read']);
	expect(rightsOf(server, { userId: 'a', guildId: guild, admin: true }, null)).toEqual(['read', 'draw', 'moderate']);
	expect(rightsOf(server, { userId: 'r', guildId: guild }, 'removed')).toEqual([]);
	expect(rightsOf(server, { userId: 'r', guildId: guild, admin: true }, 'removed')).toEqual([]);
	for (const where of ['guild-2', null]) {
		expect(rightsOf(server, { userId: owner, guildId: where }, null)).toEqual([]);
		expect(rightsOf(server, { userId: 'm', guildId: where, admin: true }, 'editor')).toEqual([]);
	}
});

test("a panel's buttons: whoever drew it while they may draw, and the owner; Delete also a moderator", () => {
	const drawnBy = { ownerId: 'e' };
	const editor: Actor = { userId: 'e', guildId: guild };
	expect(mayUsePanel(accessOf(personal, editor, 'editor'), drawnBy, editor)).toBe(true);
	expect(mayUsePanel(accessOf(personal, editor, 'viewer'), drawnBy, editor)).toBe(false);
	expect(mayUsePanel(accessOf(personal, editor, null), drawnBy, editor)).toBe(false);
	const other: Actor = { userId: 'o', guildId: guild };
	expect(mayUsePanel(accessOf(personal, other, 'editor'), drawnBy, other)).toBe(false);
	expect(mayUsePanel(accessOf(personal, other, 'editor'), drawnBy, other, 'delete')).toBe(false);
	const theOwner: Actor = { userId: owner, guildId: null };
	expect(mayUsePanel(accessOf(personal, theOwner, null), drawnBy, theOwner)).toBe(true);
	const admin: Actor = { userId: 'a', guildId: guild, admin: true };
	expect(mayUsePanel(accessOf(server, admin, null), drawnBy, admin)).toBe(false);
	expect(mayUsePanel(accessOf(server, admin, null), drawnBy, admin, 'delete')).toBe(true);
});
