// Buzz budgets for panels drawn from pictures: admission reserves the engine's published price × takes in
// the limits ledger (not a LoRA picture's 10), the whatif replaces it (and is checked against the budgets
// again before anything is submitted), cost.total corrects it. See docs/decisions/016-limits-ledger.md ("Drawings from pictures").
import { afterAll, beforeAll, expect, test } from 'vitest';
import { waitFor } from '../process.ts';
import { pressButton, startWorld, type World } from '../world.ts';
import { buttonOf } from './support/actions.ts';
import { expectNoPings, newUserId, waitForFailure, waitForPanel } from './support/panels.ts';
import { attachment } from './support/pictures.ts';
import { planJson, scriptPlanner } from './support/story.ts';

// Manage Server (0x20) on top of the fake's default member permissions, which lack it.
const ADMIN = (2248473465835073n | 0x20n).toString();

let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world?.close();
});

const db = () => world.bot.database.db;

interface Setup {
	readonly userId: string;
	readonly guildId: string;
	readonly project: string;
}

/** A server with the given settings and a new user's project with one character made from a picture (drawn by nano-banana-2, 104 Buzz). */
async function pictureProject(guildId: string, settings: Record<string, number>): Promise<Setup> {
	const set = await world.command({ guildId, memberPermissions: ADMIN, subcommand: 'settings', options: settings });
	await world.waitForOriginal(set.id, (message) => message.content.length > 0);
	const userId = newUserId();
	const project = `Budget ${userId.slice(-5)}`;
	await world.command({ userId, guildId, group: 'project', subcommand: 'create', options: { name: project } });
	const added = await world.command({
		userId,
		guildId,
		group: 'character',
		subcommand: 'add',
		options: { project, name: 'Iris' },
		attachments: { image: await attachment('#00aaaa') },
	});
	await world.waitForOriginal(added.id, (message) => message.content.includes('Added'));
	return { userId, guildId, project };
}

function sendPanel(setup: Setup, prompt: string) {
	return world.discord.sendCommand({
		userId: setup.userId,
		guildId: setup.guildId,
		subcommand: 'panel',
		options: { project: setup.project, prompt, enhance: false },
	});
}

const whatifs = () => world.orchestrator.submissions.filter((s) => s.query.get('whatif') === 'true').length;

/** A panel command that must be refused at admission: nothing stored, nothing sent to the orchestrator (not even a whatif). */
async function refused(setup: Setup): Promise<string> {
	const [panels, drawings, submissions] = [await db().panel.count(), await db().drawing.count(), world.orchestrator.submissions.length];
	const sent = await world.command({
		userId: setup.userId,
		guildId: setup.guildId,
		subcommand: 'panel',
		options: { project: setup.project, prompt: 'one panel too many', enhance: false },
	});
	expect(sent.reply.ephemeral).toBe(true);
	expect(await db().panel.count()).toBe(panels);
	expect(await db().drawing.count()).toBe(drawings);
	expect(world.orchestrator.submissions.length).toBe(submissions);
	return sent.reply.content;
}

test('picture panels started at once reserve 104 Buzz each: the budget refuses the third before any workflow is submitted', async () => {
	// confirm_above stays at its default (50): each panel stops at the question, so no workflow is ever submitted here.
	const setup = await pictureProject('200000000000002001', { user_daily_buzz: 250 });
	const workflowsBefore = world.orchestrator.workflows.size;
	const first = sendPanel(setup, 'Iris paints a mural');
	const second = sendPanel(setup, 'Iris climbs a tree');
	for (const sent of [first, second]) await waitForPanel(world, sent.id, (drawing) => drawing.confirmAskedAt !== null);
	const rows = await db().usageEntry.findMany({ where: { userId: setup.userId } });
	expect(rows.map((row) => [row.buzzEstimated, row.buzzActual])).toEqual([
		[104, null],
		[104, null],
	]);

	const content = await refused(setup);
	expect(content).toContain('about 104 Buzz');
	expect(content).toContain('daily budget of 250 Buzz has 42 left');
	expect(content).toMatch(/Enough frees up <t:\d+:R>/);
	expect(world.orchestrator.workflows.size).toBe(workflowsBefore);
});

test('panels drawn to the budget, one deleted: the next panel and a Redraw are still refused (a delete gives no Buzz back)', async () => {
	// confirm_above above the price: drawn at once; cost.total (104) corrects each row at the end.
	const setup = await pictureProject('200000000000002002', { user_daily_buzz: 250, confirm_above: 1000 });
	const sent = [sendPanel(setup, 'Iris on a rooftop')];
	await waitForPanel(world, sent[0]?.id ?? '', (drawing) => drawing.status === 'ready' && drawing.delivery === 'delivered', 20_000);
	sent.push(sendPanel(setup, 'Iris in the rain'));
	const last = await waitForPanel(world, sent[1]?.id ?? '', (drawing) => drawing.status === 'ready' && drawing.delivery === 'delivered', 20_000);
	const rows = await db().usageEntry.findMany({ where: { userId: setup.userId } });
	expect(rows.map((row) => row.buzzActual)).toEqual([104, 104]);

	expect(await refused(setup)).toContain('daily budget of 250 Buzz has 42 left');

	// Delete panel 1: the ledger keeps its 104.
	const asked = await world.command({
		userId: setup.userId,
		guildId: setup.guildId,
		group: 'panels',
		subcommand: 'delete',
		options: { project: setup.project, panel: 1 },
	});
	const rowsOfButtons = asked.reply.components as { components: { custom_id: string; label: string }[] }[];
	const confirm = rowsOfButtons[0]?.components.find((button) => button.label === 'Delete')?.custom_id ?? '';
	const deleted = await pressButton(world, { customId: confirm, messageId: asked.reply.id, userId: setup.userId, guildId: setup.guildId });
	expect(JSON.stringify(deleted.callback.data)).toContain('Deleted panel');
	expect(await db().panel.count({ where: { ownerId: setup.userId } })).toBe(1);
	expect(await db().usageEntry.count({ where: { userId: setup.userId } })).toBe(2);

	expect(await refused(setup)).toContain('daily budget of 250 Buzz has 42 left');
	// A Redraw of the panel that is left reserves the engine's price too, and is refused the same way.
	const message = await world.waitForOriginal(last.interactionId, (original) => original.attachments.length === 1);
	const submissions = world.orchestrator.submissions.length;
	const redraw = await pressButton(world, {
		customId: buttonOf(message, 'Redraw').customId,
		messageId: message.id,
		userId: setup.userId,
		guildId: setup.guildId,
	});
	expect(JSON.stringify(redraw.callback.data)).toContain('daily budget of 250 Buzz has 42 left');
	expect(await db().drawing.count({ where: { ownerId: setup.userId } })).toBe(1);
	expect(world.orchestrator.submissions.length).toBe(submissions);
});

test('a whatif above the reservation replaces it in the ledger and, past the budget, refuses the panel in plain words before anything is submitted', async () => {
	const setup = await pictureProject('200000000000002003', { user_daily_buzz: 150, confirm_above: 1000 });
	// The engine charges 100 more a picture than its published price (as its paid extras would): the whatif says 204.
	world.orchestrator.imageGenSurcharge = 100;
	const whatifsBefore = whatifs();
	const workflowsBefore = world.orchestrator.workflows.size;
	try {
		const sent = sendPanel(setup, 'Iris at the harbour');
		const { footer } = await waitForFailure(world, sent.id, 20_000);
		expect(footer).toContain('about 204 Buzz');
		expect(footer).toContain('daily budget of 150 Buzz');
		expect(footer).not.toMatch(/reference|undefined|null/);
		expect(whatifs()).toBe(whatifsBefore + 1);
		expect(world.orchestrator.workflows.size).toBe(workflowsBefore);
		// Nothing was spent: its row counts 0, with the whatif as its estimate.
		const drawing = await db().drawing.findFirstOrThrow({ where: { interactionId: sent.id } });
		const row = await db().usageEntry.findFirstOrThrow({ where: { drawingId: drawing.id } });
		expect([row.buzzEstimated, row.buzzActual]).toEqual([204, 0]);
	} finally {
		world.orchestrator.imageGenSurcharge = 0;
	}

	// At the published price again, the next panel fits (the refused one counts nothing), and its row
	// carries the whatif, then cost.total.
	const sent = sendPanel(setup, 'Iris at the lighthouse');
	const drawing = await waitForPanel(world, sent.id, (row) => row.status === 'ready' && row.delivery === 'delivered', 20_000);
	const row = await db().usageEntry.findFirstOrThrow({ where: { drawingId: drawing.id } });
	expect([row.buzzEstimated, row.buzzActual]).toEqual([104, 104]);
});

test('a whatif below the reservation replaces it: the ledger counts what the engine will charge', async () => {
	// Qwen reserves 50 a picture (its price rises with the pictures sent); the fake prices it at 40.
	const setup = await pictureProject('200000000000002004', { user_daily_buzz: 1000 });
	const edited = await world.command({
		userId: setup.userId,
		guildId: setup.guildId,
		group: 'project',
		subcommand: 'edit',
		options: { project: setup.project, engine: 'qwen' },
	});
	await world.waitForOriginal(edited.id, (message) => message.content.length > 0);
	const sent = sendPanel(setup, 'Iris reads a letter');
	const drawing = await waitForPanel(world, sent.id, (row) => row.status === 'ready' && row.delivery === 'delivered', 20_000);
	expect(drawing.engine).toBe('qwen');
	const row = await db().usageEntry.findFirstOrThrow({ where: { drawingId: drawing.id } });
	expect([row.buzzEstimated, row.buzzActual]).toEqual([40, 40]);
});

test("a story drawn from pictures reserves the engine's price for each panel at Draw all: over the budget, nothing is created", async () => {
	const setup = await pictureProject('200000000000002005', { user_daily_buzz: 250 });
	const planStory = async (count: number) => {
		scriptPlanner(world.openai, () =>
			planJson(Array.from({ length: count }, (_, index) => ({ description: `Iris budget scene ${index}`, characters: ['Iris'] }))),
		);
		const sent = await world.command({
			userId: setup.userId,
			guildId: setup.guildId,
			subcommand: 'story',
			options: { project: setup.project, story: 'Iris travels', panels: count },
		});
		const reply = await world.waitForOriginal(sent.id, (message) => message.content.length > 0, 15_000);
		const pressed = await pressButton(world, {
			customId: buttonOf(reply, 'Draw all').customId,
			messageId: reply.id,
			userId: setup.userId,
			guildId: setup.guildId,
		});
		return pressed.id;
	};
	const submissions = world.orchestrator.submissions.length;
	const refusedId = await planStory(3);
	const answer = await world.discord.waitFor(() =>
		[...world.discord.messages.values()].find((m) => m.interactionId === refusedId && m.ephemeral && m.content.length > 0),
	);
	expect(answer.content).toContain('about 312 Buzz');
	expect(answer.content).toContain('daily budget of 250 Buzz has 250 left');
	expect(await db().panel.count({ where: { ownerId: setup.userId } })).toBe(0);
	// Planning asked one whatif (the plan's price); nothing was submitted.
	expect(world.orchestrator.submissions.slice(submissions).every((s) => s.query.get('whatif') === 'true')).toBe(true);

	await planStory(2);
	await waitFor(
		async () => (await db().usageEntry.count({ where: { userId: setup.userId, kind: 'story-panel' } })) === 2,
		15_000,
		() => 'the story was not admitted',
	);
	const rows = await db().usageEntry.findMany({ where: { userId: setup.userId, kind: 'story-panel' } });
	expect(rows.map((row) => row.buzzEstimated)).toEqual([104, 104]);
});

test('no message of the bot pinged anyone', () => {
	expectNoPings(world.discord);
});
