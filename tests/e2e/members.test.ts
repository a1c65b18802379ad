// Members and server comics (issue 22, docs/decisions/026-members.md): what the owner, an editor, a viewer
// and a stranger may do in a project, through every way in (commands, autocomplete, buttons); who pays
// for a member's panel; a server's comic drawn by three members and moderated by an admin.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEFAULT_GUILD_ID, DEFAULT_PERMISSIONS } from '../fakes/discord-interactions.ts';
import type { CommandInput, FakeMessage } from '../fakes/discord.ts';
import { autocompleteChoices, startWorld, type World } from '../world.ts';
import { answerOf, buttonOf, buttonsOf, press, readyPanel } from './support/actions.ts';
import { drawPanel, newUserId, projectWithCharacter, type Setup, waitForPanel } from './support/panels.ts';
import { planJson, scriptPlanner, press as storyPress } from './support/story.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld({ ENCRYPTION_KEY: randomBytes(32).toString('base64') });
});
afterAll(async () => {
	await world?.close();
});

const db = () => world.bot.database.db;
/** Manage Server (1 << 5) on top of the fake's default member permissions. */
const MANAGE_SERVER = (BigInt(DEFAULT_PERMISSIONS) | 32n).toString();

/** Runs a command and returns its answer's text once it has one. */
async function say(input: CommandInput): Promise<string> {
	const sent = await world.command(input);
	return (await answerOf(world, sent.id)).content;
}

/** A refused press: a private reply of its own, and its text. */
async function refusedPress(pressed: { id: string; callback: { type: number } }): Promise<string> {
	expect(pressed.callback.type).toBe(4);
	const answer = await answerOf(world, pressed.id);
	expect(answer.ephemeral).toBe(true);
	return answer.content;
}

async function addMember(owner: string, project: string, user: string, role?: 'editor' | 'viewer', extra: Partial<CommandInput> = {}): Promise<string> {
	return say({ userId: owner, group: 'members', subcommand: 'add', options: { project, ...(role ? { role } : {}) }, users: { user }, ...extra });
}

/** The setup as seen by another user: the same project, named by its id as autocomplete gives it. */
function as(setup: Setup, userId: string, projectId: string): Setup {
	return { ...setup, userId, project: projectId };
}

async function link(userId: string): Promise<string> {
	const key = randomBytes(16).toString('hex');
	world.orchestrator.keys.add(key);
	const opened = world.discord.sendCommand({ userId, group: 'account', subcommand: 'link' });
	const modal = await world.discord.waitFor(() => world.discord.modalOf(opened.id));
	const sent = world.discord.sendModalSubmit({ userId, customId: String(modal.custom_id), fields: { api_key: key } });
	await world.waitForOriginal(sent.id, (message) => message.content.length > 0);
	return key;
}

test('owner, editor, viewer and stranger each get exactly their rights, in commands, autocomplete and buttons', async () => {
	const owner = await projectWithCharacter(world);
	const [editor, viewer, stranger] = [newUserId(), newUserId(), newUserId()];
	const project = await db().project.findFirstOrThrow({ where: { ownerId: owner.userId } });
	expect(await addMember(owner.userId, owner.project, editor)).toContain('editor');
	expect(await addMember(owner.userId, owner.project, viewer, 'viewer')).toContain('viewer');

	// Autocomplete and lists: members see it with what they may do; a stranger does not see it.
	const choices = async (userId: string) => autocompleteChoices(world, { userId, subcommand: 'panel', options: { prompt: 'x' }, focused: 'project' });
	expect(await choices(editor)).toEqual([{ name: `${owner.project} (editor: may draw)`, value: project.id }]);
	expect(await choices(viewer)).toEqual([{ name: `${owner.project} (viewer: may read)`, value: project.id }]);
	expect(await choices(stranger)).toEqual([]);
	expect(await say({ userId: viewer, group: 'project', subcommand: 'list' })).toContain(owner.project);
	expect(await say({ userId: stranger, group: 'project', subcommand: 'list' })).not.toContain(owner.project);

	// The editor draws (by the name as typed, too); the viewer and the stranger are refused and nothing is stored.
	const drawn = await readyPanel(world, { ...owner, userId: editor }, 'the editor draws a harbour');
	expect(await db().panel.count({ where: { projectId: project.id, ownerId: editor } })).toBe(1);
	expect(await say({ userId: viewer, subcommand: 'panel', options: { project: project.id, prompt: 'a viewer tries', enhance: false } })).toContain(
		'not draw in it',
	);
	expect(await say({ userId: stranger, subcommand: 'panel', options: { project: project.id, prompt: 'a stranger tries', enhance: false } })).toContain(
		'belongs to someone else',
	);
	expect(await say({ userId: stranger, subcommand: 'panel', options: { project: owner.project, prompt: 'by name', enhance: false } })).toContain(
		'no project named',
	);
	expect(await db().panel.count({ where: { projectId: project.id } })).toBe(1);

	// The panel's buttons: whoever drew it and the owner; never a viewer or a stranger.
	const drawing = await db().drawing.findFirstOrThrow({ where: { panel: { projectId: project.id } } });
	const before = JSON.stringify(world.discord.messages.get(drawn.message.id));
	for (const userId of [viewer, stranger]) {
		for (const word of ['Redraw', 'Edit', 'Change', 'History', 'Details', 'Delete'])
			expect(await refusedPress(await press(world, drawn.message, word, userId)), word).toContain('Only the owner');
		for (const customId of [`panel-edit:${drawing.id}`, `panel-change:${drawing.id}`]) {
			const form = world.discord.sendModalSubmit({
				customId,
				fields: { prompt: 'a stolen lantern', caption: '', dialogue: '', instruction: 'make it mine' },
				userId,
				messageId: drawn.message.id,
			});
			const answer = await answerOf(world, form.id);
			expect(answer.ephemeral).toBe(true);
			expect(answer.content).toContain('Only the owner');
		}
	}
	expect(JSON.stringify(world.discord.messages.get(drawn.message.id))).toBe(before);
	expect(await db().drawing.count({ where: { panel: { projectId: project.id } } })).toBe(1);
	// The editor who drew it may use them.
	const details = await press(world, drawn.message, 'Details', editor);
	expect((await answerOf(world, details.id)).content).not.toContain('Only the owner');
	const ownersRedraw = await press(world, drawn.message, 'Redraw', owner.userId);
	expect(ownersRedraw.callback.type).not.toBe(4);
	// The owner's redraw is the owner's drawing (their limits, their key); the panel stays the editor's.
	await world.discord.waitFor(async () => (await db().drawing.count({ where: { panel: { projectId: project.id }, ownerId: owner.userId } })) > 0 || undefined);
	expect((await db().panel.findFirstOrThrow({ where: { projectId: project.id } })).ownerId).toBe(editor);

	// Reading: the viewer shows (who drew it is named, nobody pinged), reads and exports.
	const shown = await world.command({ userId: viewer, group: 'project', subcommand: 'show', options: { project: project.id } });
	const overview = await answerOf(world, shown.id, (message) => message.embeds.length > 0);
	expect(JSON.stringify(overview.embeds)).toContain(`by <@${editor}>`);
	expect(overview.allowed_mentions).toEqual({ parse: [] });
	expect(await say({ userId: viewer, subcommand: 'read', options: { project: project.id } })).not.toContain('belongs to someone else');
	const exported = await world.command({ userId: viewer, subcommand: 'export', options: { project: project.id } });
	const file = await world.waitForOriginal(exported.id, (message) => message.attachments.length > 0 || message.content !== '', 30_000);
	expect(file.attachments.length).toBeGreaterThan(0);
	expect(await say({ userId: stranger, subcommand: 'read', options: { project: project.id } })).toContain('belongs to someone else');

	// Letter and move: editors, not viewers.
	expect(await say({ userId: viewer, group: 'panels', subcommand: 'move', options: { project: project.id, panel: 1, to: 1 } })).toContain('not draw in it');
	// Deleting a panel: the editor who drew it is asked (the owner too); a viewer is refused.
	expect(await say({ userId: editor, group: 'panels', subcommand: 'delete', options: { project: project.id, panel: 1 } })).toContain('Delete panel 1');
	expect(await say({ userId: viewer, group: 'panels', subcommand: 'delete', options: { project: project.id, panel: 1 } })).toContain('not draw in it');
	const lettered = await say({ userId: editor, group: 'panels', subcommand: 'text', options: { project: project.id, panel: 1, caption: 'Dawn.' } });
	expect(lettered).not.toContain('not draw');

	// The owner's alone: delete, edit (the engine), remove characters, manage members.
	for (const [input, word] of [
		[{ group: 'project', subcommand: 'delete', options: { project: project.id } }, 'Only the owner'],
		[{ group: 'project', subcommand: 'edit', options: { project: project.id, engine: 'seedream' } }, 'Only the owner'],
		[{ group: 'character', subcommand: 'remove', options: { project: project.id, character: owner.character } }, 'Only the owner'],
	] as const)
		expect(await say({ userId: editor, ...input })).toContain(word);
	expect(await addMember(editor, project.id, stranger)).toContain('Only the owner');
	expect(await addMember(viewer, project.id, stranger)).toContain('Only the owner');
	expect((await db().project.findUniqueOrThrow({ where: { id: project.id } })).engine).toBe('auto');
	expect(await db().character.count({ where: { projectId: project.id } })).toBe(1);

	// Members are listed (mentions, no pings); removing the editor takes the buttons and drawing away.
	const listed = await say({ userId: viewer, group: 'members', subcommand: 'list', options: { project: project.id } });
	expect(listed).toContain(`<@${editor}> · editor`);
	expect(listed).toContain(`<@${viewer}> · viewer`);
	expect(await say({ userId: owner.userId, group: 'members', subcommand: 'remove', options: { project: project.id }, users: { user: editor } })).toContain(
		'no longer has access',
	);
	expect(await refusedPress(await press(world, drawn.message, 'Redraw', editor))).toContain('Only the owner');
	expect(await say({ userId: editor, subcommand: 'panel', options: { project: project.id, prompt: 'after removal', enhance: false } })).toContain(
		'belongs to someone else',
	);
	expect(await choices(editor)).toEqual([]);
});

test("a member's panel is paid with the member's own key and counted in the member's ledger, never the owner's", async () => {
	const owner = await projectWithCharacter(world);
	const ownerKey = await link(owner.userId);
	const member = newUserId();
	const memberKey = await link(member);
	await addMember(owner.userId, owner.project, member);
	const project = await db().project.findFirstOrThrow({ where: { ownerId: owner.userId } });
	await readyPanel(world, as(owner, member, project.id), 'the member pays for this one');

	const drawing = await db().drawing.findFirstOrThrow({ where: { panel: { projectId: project.id } } });
	expect(drawing).toMatchObject({ ownerId: member, paidBy: 'user' });
	const submits = (key: string) => world.orchestrator.calls.filter((call) => call.key === key && call.method === 'POST' && call.path.includes('workflows'));
	expect(submits(memberKey).length).toBeGreaterThan(0);
	expect(submits(ownerKey)).toHaveLength(0);
	expect(await db().usageEntry.findMany({ where: { drawingId: drawing.id }, select: { userId: true, paidBy: true } })).toEqual([
		{ userId: member, paidBy: 'user' },
	]);
	expect(await db().usageEntry.count({ where: { userId: owner.userId } })).toBe(0);
});

test("a server's comic: made by Manage Server or the comic role, drawn by three members, moderated by an admin, unseen elsewhere", async () => {
	// The fake's default server: panels are drawn there.
	const guildId = DEFAULT_GUILD_ID;
	const admin = newUserId();
	const version = await projectWithCharacter(world, { guildId });
	// Without Manage Server and without the role: refused, nothing stored.
	const name = `Town ${admin.slice(-5)}`;
	const member = newUserId();
	expect(await say({ userId: member, guildId, group: 'project', subcommand: 'create', options: { name, server: true } })).toContain('Manage Server');
	expect(await db().project.count({ where: { nameKey: name.toLowerCase() } })).toBe(0);
	// The comic role, set by an admin, lets its members create one; Manage Server always may.
	const role = newUserId();
	expect(await say({ userId: admin, guildId, memberPermissions: MANAGE_SERVER, subcommand: 'settings', roles: { comic_role: role } })).toContain(`<@&${role}>`);
	expect(
		await say({ userId: member, guildId, memberRoles: [role], group: 'project', subcommand: 'create', options: { name: `${name} b`, server: true } }),
	).toContain("this server's comic");
	expect(
		await say({ userId: admin, guildId, memberPermissions: MANAGE_SERVER, group: 'project', subcommand: 'create', options: { name, server: true } }),
	).toContain("this server's comic");
	// Both at once is refused; cleared, the role no longer lets its members create one (Manage Server still may).
	expect(
		await say({
			userId: admin,
			guildId,
			memberPermissions: MANAGE_SERVER,
			subcommand: 'settings',
			options: { clear_comic_role: true },
			roles: { comic_role: role },
		}),
	).toContain('not both');
	expect(await say({ userId: admin, guildId, memberPermissions: MANAGE_SERVER, subcommand: 'settings', options: { clear_comic_role: true } })).toContain(
		'none: only Manage Server',
	);
	expect(
		await say({ userId: member, guildId, memberRoles: [role], group: 'project', subcommand: 'create', options: { name: `${name} c`, server: true } }),
	).toContain('Manage Server');
	expect(await db().project.count({ where: { nameKey: `${name} c`.toLowerCase() } })).toBe(0);
	const town = await db().project.findFirstOrThrow({ where: { ownerId: admin, nameKey: name.toLowerCase() } });
	expect(town.guildId).toBe(guildId);
	const added = await world.command({
		userId: admin,
		guildId,
		group: 'character',
		subcommand: 'add',
		options: { project: town.id, model: String((await db().character.findFirstOrThrow({ where: { project: { ownerId: version.userId } } })).modelVersionId) },
	});
	await world.waitForOriginal(added.id, (message) => message.content.includes('Added'));

	// Three members of the server, none added by anyone, each draw a panel under their own limits.
	const [first, second, third] = [newUserId(), newUserId(), newUserId()];
	const drawers = [first, second, third];
	const panels: { message: FakeMessage }[] = [];
	for (const [index, userId] of drawers.entries()) panels.push(await readyPanel(world, as(version, userId, town.id), `scene ${index + 1} in the town square`));
	const [, secondPanel, thirdPanel] = panels;
	if (!secondPanel || !thirdPanel) throw new Error('three panels were drawn');
	const rows = await db().panel.findMany({ where: { projectId: town.id }, orderBy: { number: 'asc' }, select: { number: true, ownerId: true } });
	expect(rows).toEqual(drawers.map((ownerId, index) => ({ number: index + 1, ownerId })));
	for (const userId of drawers) expect(await db().usageEntry.count({ where: { userId, guildId } })).toBe(1);
	const shown = await world.command({ userId: first, guildId, group: 'project', subcommand: 'show', options: { project: town.id } });
	const overview = JSON.stringify((await answerOf(world, shown.id, (message) => message.embeds.length > 0)).embeds);
	for (const userId of drawers) expect(overview).toContain(`by <@${userId}>`);

	// Seen only in its server: elsewhere neither autocomplete nor a command finds it.
	const elsewhere = { userId: first, guildId: `8${Date.now()}` };
	expect(await autocompleteChoices(world, { ...elsewhere, subcommand: 'panel', options: { prompt: 'x' }, focused: 'project' })).toEqual([]);
	expect(await say({ ...elsewhere, subcommand: 'panel', options: { project: town.id, prompt: 'elsewhere', enhance: false } })).toContain(
		'belongs to someone else',
	);
	// Its owner too finds it only there, and is told so.
	expect(await say({ userId: admin, guildId: elsewhere.guildId, group: 'project', subcommand: 'show', options: { project: name } })).toContain(
		'the comic of another server',
	);
	expect(await say({ userId: admin, guildId: null, group: 'project', subcommand: 'list' })).not.toContain(name);
	// Another member's panel buttons are not theirs to press.
	expect(await refusedPress(await press(world, secondPanel.message, 'Redraw', first))).toContain('Only the owner');

	// An admin (not the owner) moderates: deletes a member's panel from its message, and removes a member.
	const moderator = newUserId();
	const target = secondPanel.message;
	const asked = await world.discord.sendButton({
		customId: buttonOf(target, 'Delete').customId,
		messageId: target.id,
		userId: moderator,
		guildId,
		memberPermissions: MANAGE_SERVER,
	});
	await world.discord.waitFor(() => world.discord.callbacks.get(asked.id)?.[0]);
	const confirm = await world.discord.waitFor(() => {
		const now = world.discord.messages.get(target.id);
		return now && buttonsOf(now).some((button) => button.label.includes('Delete this panel')) ? now : undefined;
	});
	const confirmed = world.discord.sendButton({
		customId: buttonOf(confirm, 'Delete').customId,
		messageId: target.id,
		userId: moderator,
		guildId,
		memberPermissions: MANAGE_SERVER,
	});
	await world.discord.waitFor(() => world.discord.callbacks.get(confirmed.id)?.[0]);
	await world.discord.waitFor(async () => (await db().panel.count({ where: { projectId: town.id } })) === 2 || undefined);
	// A member without Manage Server cannot delete someone else's panel, by command or by its button.
	expect(await say({ userId: first, guildId, group: 'panels', subcommand: 'delete', options: { project: town.id, panel: 2 } })).toContain('Manage Server');
	expect(await refusedPress(await press(world, thirdPanel.message, 'Delete', first))).toContain('Only the owner');

	expect(
		await say({
			userId: moderator,
			guildId,
			memberPermissions: MANAGE_SERVER,
			group: 'members',
			subcommand: 'remove',
			options: { project: town.id },
			users: { user: third },
		}),
	).toContain('no longer has access');
	expect(await say({ userId: third, guildId, subcommand: 'panel', options: { project: town.id, prompt: 'after removal', enhance: false } })).toContain(
		'belongs to someone else',
	);
	// Without Manage Server, a member cannot remove another one.
	expect(await say({ userId: first, guildId, group: 'members', subcommand: 'remove', options: { project: town.id }, users: { user: second } })).toContain(
		'Only the owner',
	);
	// Only the owner deletes the server's comic, not an admin.
	expect(
		await say({ userId: moderator, guildId, memberPermissions: MANAGE_SERVER, group: 'project', subcommand: 'delete', options: { project: town.id } }),
	).toContain('Only the owner');
});

test('an editor runs a story in the owner’s project, drawn as the editor’s panels; a viewer cannot, nor a planner removed before Draw all', async () => {
	const owner = await projectWithCharacter(world);
	const [editor, viewer, later] = [newUserId(), newUserId(), newUserId()];
	await addMember(owner.userId, owner.project, editor);
	await addMember(owner.userId, owner.project, viewer, 'viewer');
	await addMember(owner.userId, owner.project, later);
	const project = await db().project.findFirstOrThrow({ where: { ownerId: owner.userId } });
	scriptPlanner(world.openai, () => planJson([{ description: 'the harbour at dawn' }, { description: 'a boat leaves' }]));
	const plan = async (userId: string) => {
		const sent = await world.command({ userId, subcommand: 'story', options: { project: project.id, story: 'A day at the harbour' } });
		return world.waitForOriginal(sent.id, (message) => message.content.length > 0, 15_000);
	};

	expect((await plan(viewer)).content).toContain('not draw in it');
	const planned = await plan(editor);
	expect(planned.content).toContain('Story plan');
	await storyPress(world, planned, 'Draw all', editor);
	await world.discord.waitFor(
		async () => (await db().panel.count({ where: { projectId: project.id, ownerId: editor, storyId: { not: null } } })) === 2 || undefined,
	);

	// Removed between the plan and Draw all: nothing is drawn.
	const second = await plan(later);
	expect(second.content).toContain('Story plan');
	await say({ userId: owner.userId, group: 'members', subcommand: 'remove', options: { project: project.id }, users: { user: later } });
	const refused = await storyPress(world, second, 'Draw all', later);
	expect((await answerOf(world, refused.id)).content).toContain('Only the owner');
	expect(await db().panel.count({ where: { projectId: project.id, ownerId: later } })).toBe(0);
});

test("deleting a project cancels a member's running workflow with the member's key, not the owner's", async () => {
	const owner = await projectWithCharacter(world);
	const ownerKey = await link(owner.userId);
	const member = newUserId();
	const memberKey = await link(member);
	await addMember(owner.userId, owner.project, member);
	const project = await db().project.findFirstOrThrow({ where: { ownerId: owner.userId } });
	world.orchestrator.behaviour = () => ({ durationMs: Number.POSITIVE_INFINITY });
	try {
		const sent = drawPanel(world, as(owner, member, project.id), 'still being drawn');
		const drawing = await waitForPanel(world, sent.id, (found) => found.status === 'generating' && found.workflowId !== null);
		const asked = await world.command({ userId: owner.userId, group: 'project', subcommand: 'delete', options: { project: project.id } });
		await press(world, asked.reply, 'Delete', owner.userId);
		await world.discord.waitFor(() => world.orchestrator.cancellations.includes(drawing.workflowId ?? '?') || undefined, 15_000);
		const cancels = world.orchestrator.calls.filter((call) => call.method === 'PUT' && call.path.includes(drawing.workflowId ?? '?'));
		expect(cancels.map((call) => call.key)).toEqual([memberKey]);
		expect(cancels.map((call) => call.key)).not.toContain(ownerKey);
	} finally {
		world.orchestrator.behaviour = () => ({});
	}
});
