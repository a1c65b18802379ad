// Daily limits and Buzz budgets count from the limits ledger, which no delete shrinks: deleting panels or
// projects gives nothing back, `/comic usage` is unchanged by deletes, and an Edit the limits refuse
// stores nothing. See docs/decisions/016-limits-ledger.md.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { pressButton, startWorld, type World } from '../world.ts';
import { answerOf, press } from './support/actions.ts';
import { drawRealPictures } from './support/comic.ts';
import { expectNoPings, newUserId, projectWithCharacter, type Setup, waitForPanel } from './support/panels.ts';

// Manage Server (0x20) on top of the fake's default member permissions, which lack it.
const ADMIN = (2248473465835073n | 0x20n).toString();

let world: World;
beforeAll(async () => {
	world = await startWorld({ MAX_PANELS_IN_FLIGHT_PER_USER: '2', MAX_PANELS_PER_USER_PER_DAY: '3', MAX_PANELS_PER_GUILD_PER_DAY: '4' });
});
afterAll(async () => {
	await world?.close();
});

const db = () => world.bot.database.db;

/** Draws `count` panels (of `takes` pictures) one after another and waits until each is delivered. */
async function drawn(setup: Setup, guildId: string, count: number, takes = 1): Promise<void> {
	for (let n = 0; n < count; n++) {
		const sent = world.discord.sendCommand({
			userId: setup.userId,
			guildId,
			subcommand: 'panel',
			options: { project: setup.project, prompt: `panel ${n + 1}`, enhance: false, takes },
		});
		await waitForPanel(world, sent.id, (panel) => panel.status === 'ready' && panel.delivery === 'delivered');
	}
}

/** Sends a panel command that must be refused: returns the private reply, after checking nothing was stored or submitted. */
async function refused(setup: Setup, guildId: string, takes = 1): Promise<string> {
	const [panels, drawings, submissions] = [await db().panel.count(), await db().drawing.count(), world.orchestrator.submissions.length];
	const sent = await world.command({
		userId: setup.userId,
		guildId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: 'one panel too many', enhance: false, takes },
	});
	expect(sent.reply.ephemeral).toBe(true);
	expect(await db().panel.count()).toBe(panels);
	expect(await db().drawing.count()).toBe(drawings);
	expect(world.orchestrator.submissions.length).toBe(submissions);
	return sent.reply.content;
}

/** Deletes panel `number` of the setup's project through `/comic panels delete` and its confirmation. */
async function deletePanel(setup: Setup, guildId: string, number: number): Promise<void> {
	const asked = await world.command({
		userId: setup.userId,
		guildId,
		group: 'panels',
		subcommand: 'delete',
		options: { project: setup.project, panel: number },
	});
	const rows = asked.reply.components as { components: { custom_id: string; label: string }[] }[];
	const confirm = rows[0]?.components.find((button) => button.label === 'Delete')?.custom_id ?? '';
	const pressed = await pressButton(world, { customId: confirm, messageId: asked.reply.id, userId: setup.userId, guildId });
	expect(JSON.stringify(pressed.callback.data)).toContain('Deleted panel');
}

/** Deletes the setup's project through `/comic project delete` and its confirmation. */
async function deleteProject(setup: Setup, guildId: string): Promise<void> {
	const asked = await world.command({ userId: setup.userId, guildId, group: 'project', subcommand: 'delete', options: { project: setup.project } });
	const rows = asked.reply.components as { components: { custom_id: string; label: string }[] }[];
	const confirm = rows[0]?.components.find((button) => button.label === 'Delete')?.custom_id ?? '';
	await pressButton(world, { customId: confirm, messageId: asked.reply.id, userId: setup.userId, guildId });
	expect(await db().project.count({ where: { ownerId: setup.userId } })).toBe(0);
}

async function usage(userId: string, guildId: string): Promise<string> {
	return (await world.command({ userId, guildId, subcommand: 'usage' })).reply.content;
}

test('drawing to the daily limit, deleting a panel and drawing again is refused; /comic usage is unchanged by the delete', async () => {
	const guildId = '200000000000000201';
	const setup = await projectWithCharacter(world, { guildId });
	await drawn(setup, guildId, 3);
	const before = await usage(setup.userId, guildId);
	expect(before).toContain('3');

	await deletePanel(setup, guildId, 3);
	await deletePanel(setup, guildId, 1);
	expect(await db().panel.count({ where: { ownerId: setup.userId } })).toBe(1);

	const content = await refused(setup, guildId);
	expect(content).toContain('3 panels in the last 24 hours');
	expect(content).toMatch(/<t:\d+:R>/);
	expect(await usage(setup.userId, guildId)).toBe(before);

	// Redraw on the panel that is left is refused the same way.
	const left = await db().drawing.findFirstOrThrow({ where: { ownerId: setup.userId } });
	const message = await world.waitForOriginal(left.interactionId, (original) => original.attachments.length === 1);
	const redraw = await press(world, message, 'Redraw', setup.userId);
	expect(JSON.stringify(redraw.callback.data)).toContain('3 panels in the last 24 hours');
	expect(await db().drawing.count({ where: { ownerId: setup.userId } })).toBe(1);
});

test('deleting the whole project gives no panel back either, for the user or for the server', async () => {
	const guildId = '200000000000000202';
	const first = await projectWithCharacter(world, { guildId });
	const second = await projectWithCharacter(world, { guildId, userId: newUserId() });
	await drawn(first, guildId, 3);
	await drawn(second, guildId, 1);
	await deleteProject(first, guildId);

	// The first user starts over in a new project: still at the daily limit.
	const again = await projectWithCharacter(world, { guildId, userId: first.userId });
	expect(await refused(again, guildId)).toContain('3 panels in the last 24 hours');
	// The server drew 4 (its limit), though 3 of them are gone with their project.
	expect(await refused(second, guildId)).toContain('This server has drawn 4 panels');
});

test('a Buzz budget counts estimates at admission, corrected by what the workflow cost; refusals say what is left and when it frees', async () => {
	const guildId = '200000000000000203';
	const admin = newUserId();
	const saved = await world.command({ userId: admin, guildId, memberPermissions: ADMIN, subcommand: 'settings', options: { user_daily_buzz: 25 } });
	expect(saved.reply.content).toContain('25 Buzz per member per day');
	const setup = await projectWithCharacter(world, { guildId });

	// A failed workflow is refunded: what it was estimated at (20) no longer counts once it ends.
	const behaviour = world.orchestrator.behaviour;
	world.orchestrator.behaviour = () => ({ outcome: 'failed' });
	const failing = world.discord.sendCommand({
		userId: setup.userId,
		guildId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: 'fails', enhance: false, takes: 2 },
	});
	const failed = await waitForPanel(world, failing.id, (panel) => panel.status === 'failed').finally(() => {
		world.orchestrator.behaviour = behaviour;
	});
	for (let tries = 0; (await db().usageEntry.findUniqueOrThrow({ where: { drawingId: failed.id } })).buzzActual !== 0; tries++) {
		if (tries > 200) throw new Error('the failed drawing was never corrected in the ledger');
		await new Promise((resolve) => setTimeout(resolve, 50));
	}

	// Two pictures, about 20 Buzz, then deleted: the budget has 5 left, too little for one more picture.
	await drawn(setup, guildId, 1, 2);
	const entry = await db().usageEntry.findFirstOrThrow({ where: { userId: setup.userId, buzzActual: { not: 0 } } });
	expect(entry).toMatchObject({ kind: 'panel', buzzEstimated: 20, buzzActual: 20, paidBy: 'bot', guildId });
	await deletePanel(setup, guildId, 2);

	const content = await refused(setup, guildId);
	expect(content).toContain('about 10 Buzz');
	expect(content).toContain('daily budget of 25 Buzz has 5 left');
	const at = Number(/<t:(\d+):R>/.exec(content)?.[1]);
	expect(Math.abs(at * 1000 - (entry.createdAt.getTime() + 24 * 60 * 60_000))).toBeLessThan(2_000);

	// The server's budget counts everyone on the server.
	await world.command({ userId: admin, guildId, memberPermissions: ADMIN, subcommand: 'settings', options: { user_daily_buzz: 0, server_daily_buzz: 30 } });
	const other = await projectWithCharacter(world, { guildId, userId: newUserId() });
	expect(await refused(other, guildId, 2)).toContain("this server's daily budget of 30 Buzz has 10 left");
});

test('an Edit that the limits refuse leaves the panel’s prompt and words as they were', async () => {
	const guildId = '200000000000000204';
	const setup = await projectWithCharacter(world, { guildId });
	// Pictures of the size a model draws, so that the new words fit: only the limits can refuse the Edit.
	const behaviour = world.orchestrator.behaviour;
	await drawRealPictures(world);
	await drawn(setup, guildId, 3).finally(() => {
		world.orchestrator.behaviour = behaviour;
	});
	const drawing = await db().drawing.findFirstOrThrow({ where: { ownerId: setup.userId }, orderBy: { createdAt: 'desc' }, include: { panel: true } });
	const message = await world.waitForOriginal(drawing.interactionId, (original) => original.attachments.length === 1);
	const edit = await press(world, message, 'Edit', setup.userId);
	const customId = String((edit.callback.data as { custom_id: string }).custom_id);

	const submitted = world.discord.sendModalSubmit({
		customId,
		fields: { prompt: 'a different prompt', caption: 'New caption', dialogue: 'Hero: new words' },
		userId: setup.userId,
		guildId,
	});
	const refusal = await answerOf(world, submitted.id, (reply) => reply.content.length > 0);
	expect(refusal.ephemeral).toBe(true);
	expect(refusal.content).toContain('3 panels in the last 24 hours');
	const panel = await db().panel.findUniqueOrThrow({ where: { id: drawing.panelId } });
	expect({ prompt: panel.prompt, caption: panel.caption, dialogue: panel.dialogue }).toEqual({
		prompt: drawing.panel.prompt,
		caption: drawing.panel.caption,
		dialogue: drawing.panel.dialogue,
	});
	expect(await db().drawing.count({ where: { panelId: drawing.panelId } })).toBe(1);
});

test('no message of the bot pinged anyone', () => {
	expectNoPings(world.discord);
});
