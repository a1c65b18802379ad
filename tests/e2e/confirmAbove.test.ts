// Cost before spending: a panel drawn from pictures is priced by a whatif with its real body; above the
// server's confirm_above its owner is asked privately (Draw / Cancel) and nothing is submitted before Draw.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { embedOf, pressButton, startWorld, type World } from '../world.ts';
import { buttonOf, buttonsOf, textOf } from './support/actions.ts';
import { expectNoPings, newUserId, waitForFailure, waitForPanel } from './support/panels.ts';
import { attachment } from './support/pictures.ts';

let world: World;
const ADMIN = (2248473465835073n | 0x20n).toString();
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world?.close();
});

const db = () => world.bot.database.db;

async function pictureProject(guildId: string): Promise<{ userId: string; project: string }> {
	const userId = newUserId();
	const project = `Priced ${userId.slice(-5)}`;
	await world.command({ userId, guildId, group: 'project', subcommand: 'create', options: { name: project } });
	const added = await world.command({
		userId,
		guildId,
		group: 'character',
		subcommand: 'add',
		options: { project, name: 'Iris' },
		attachments: { image: await attachment('#aa00aa') },
	});
	await world.waitForOriginal(added.id, (message) => message.content.includes('Added'));
	return { userId, project };
}

/** The private follow-up the bot posted for an interaction (an ephemeral message with buttons). */
function followUpOf(interactionId: string) {
	return [...world.discord.messages.values()].find(
		(message) => message.interactionId === interactionId && message.ephemeral && message.components.length > 0 && message.content.includes('Buzz'),
	);
}

test('above confirm_above (default 50): "about 104 Buzz" privately with Draw and Cancel; nothing submitted before Draw; only the owner may press; Draw submits once', async () => {
	const guildId = '200000000000000901';
	const setup = await pictureProject(guildId);
	const whatifsBefore = world.orchestrator.submissions.filter((s) => s.query.get('whatif') === 'true').length;
	const workflowsBefore = world.orchestrator.workflows.size;
	const sent = world.discord.sendCommand({
		userId: setup.userId,
		guildId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: 'Iris paints a mural', enhance: false },
	});
	const asked = await world.discord.waitFor(() => followUpOf(sent.id), 15_000);
	expect(asked.content).toContain('about 104 Buzz');
	expect(asked.ephemeral).toBe(true);
	expect(
		buttonsOf(asked)
			.map((button) => button.label)
			.join(' | '),
	).toMatch(/Draw.*Cancel/);

	// The estimate came from a whatif with the real body, references included, under an id of its own.
	const whatifs = world.orchestrator.submissions.filter((s) => s.query.get('whatif') === 'true').slice(whatifsBefore);
	expect(whatifs).toHaveLength(1);
	const whatifBody = whatifs[0]?.body as { externalId: string; steps: { $type: string; input: { images: string[] } }[] };
	expect(whatifBody.steps[0]?.$type).toBe('imageGen');
	expect(whatifBody.steps[0]?.input.images).toHaveLength(1);
	const drawing = await waitForPanel(world, sent.id, (row) => row.confirmAskedAt !== null);
	expect(whatifBody.externalId).not.toBe(drawing.id);
	expect(drawing.estimatedBuzz).toBe(104);
	expect(world.orchestrator.workflows.size).toBe(workflowsBefore);
	// The public message says it waits, with the same buttons.
	const waiting = await world.waitForOriginal(sent.id, (message) => textOf(message).includes('Waiting for its owner'));
	expect(buttonOf(waiting, 'Draw')).toBeDefined();

	// Someone else cannot press Draw.
	const other = await pressButton(world, { customId: buttonOf(asked, 'Draw').customId, messageId: asked.id, userId: newUserId(), guildId });
	expect(JSON.stringify(other.callback.data)).toContain('Only the owner');
	expect(world.orchestrator.workflows.size).toBe(workflowsBefore);

	const pressed = await pressButton(world, { customId: buttonOf(asked, 'Draw').customId, messageId: asked.id, userId: setup.userId, guildId });
	expect(JSON.stringify(pressed.callback.data)).toContain('Drawing panel');
	const ready = await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1, 20_000);
	expect(JSON.stringify(embedOf(ready))).toContain('104');
	const created = [...world.orchestrator.workflows.values()].filter((workflow) => workflow.body.externalId === drawing.id);
	expect(created).toHaveLength(1);

	// A second Draw changes nothing.
	const again = await pressButton(world, { customId: buttonOf(asked, 'Draw').customId, messageId: asked.id, userId: setup.userId, guildId });
	expect(JSON.stringify(again.callback.data)).toContain('already');
	expect([...world.orchestrator.workflows.values()].filter((workflow) => workflow.body.externalId === drawing.id)).toHaveLength(1);
	expectNoPings(world.discord);
});

test('Cancel on the question: nothing is submitted, the panel says so', async () => {
	const guildId = '200000000000000902';
	const setup = await pictureProject(guildId);
	const before = world.orchestrator.workflows.size;
	const sent = world.discord.sendCommand({
		userId: setup.userId,
		guildId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: 'Iris sleeps', enhance: false },
	});
	const asked = await world.discord.waitFor(() => followUpOf(sent.id), 15_000);
	await pressButton(world, { customId: buttonOf(asked, 'Cancel').customId, messageId: asked.id, userId: setup.userId, guildId });
	const { footer } = await waitForFailure(world, sent.id);
	expect(footer).toContain('no Buzz was spent');
	expect(world.orchestrator.workflows.size).toBe(before);
});

test('at or below confirm_above the panel is drawn at once and its message shows the estimate', async () => {
	const guildId = '200000000000000903';
	const set = await world.command({ guildId, memberPermissions: ADMIN, subcommand: 'settings', options: { confirm_above: 500 } });
	expect((await world.waitForOriginal(set.id, (message) => message.content.length > 0)).content).toContain('`confirm_above`: 500 Buzz');
	const setup = await pictureProject(guildId);
	const sent = world.discord.sendCommand({
		userId: setup.userId,
		guildId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: 'Iris runs', enhance: false },
	});
	await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1, 20_000);
	expect(followUpOf(sent.id)).toBeUndefined();
	const drawing = await db().drawing.findFirstOrThrow({ where: { interactionId: sent.id } });
	expect(drawing.estimatedBuzz).toBe(104);
	expect(drawing.confirmAskedAt).toBeNull();
	const message = world.discord.originalMessage(sent.id);
	expect(message?.history.some((body) => JSON.stringify(body).includes('about 104 (estimate)'))).toBe(true);
});
