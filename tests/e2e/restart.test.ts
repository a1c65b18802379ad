// The bot as a real process (src/main.ts), killed with SIGKILL at every point of a panel's life and
// stopped with SIGTERM during a delivery, then started again on the same data: every panel ends
// delivered exactly once, with one workflow.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Drawing } from '../../src/db/database.ts';
import { nonceFor } from '../../src/discord/messenger.ts';
import { finalDeliveries, panelMessages, webhookCalls } from '../deliveries.ts';
import { modelVersion } from '../fakes/civitai.ts';
import type { SentInteraction } from '../fakes/discord.ts';
import type { WorkflowBehaviour } from '../fakes/orchestrator.ts';
import { startStage, waitFor, type BotProcess, type Stage } from '../process.ts';

let stage: Stage;
let bot: BotProcess;

/** `[hold]` stays processing until the test completes it; `[ms:N]` takes N ms; anything else 300 ms. */
function behaviourFor(body: Record<string, unknown>): Partial<WorkflowBehaviour> {
	const text = JSON.stringify(body);
	if (text.includes('[hold]')) return { durationMs: Number.POSITIVE_INFINITY };
	const ms = /\[ms:(\d+)\]/.exec(text)?.[1];
	return { durationMs: ms === undefined ? 300 : Number(ms) };
}

beforeAll(async () => {
	stage = await startStage({ MAX_PANELS_IN_FLIGHT_PER_USER: '20', SHUTDOWN_GRACE_SECONDS: '6' });
	stage.orchestrator.behaviour = behaviourFor;
	stage.civitai.addModelVersion(modelVersion({ id: 700100, modelId: 700000, baseModel: 'SDXL 1.0', model: { name: 'Rex' } }));
	bot = await stage.start();
	await stage.command({ group: 'project', subcommand: 'create', options: { name: 'Restarts' } });
	const added = await stage.command({ group: 'character', subcommand: 'add', options: { project: 'Restarts', model: '700100' } });
	await stage.discord.waitFor(() => stage.discord.originalMessage(added.id)?.content.includes('Added'));
});

afterAll(async () => {
	await stage?.close();
});

function draw(prompt: string, enhance = false): SentInteraction {
	return stage.discord.sendCommand({ subcommand: 'panel', options: { project: 'Restarts', prompt, enhance } });
}

async function panelOf(sent: SentInteraction): Promise<Drawing> {
	const panel = await stage.db().drawing.findFirst({ where: { interactionId: sent.id } });
	if (!panel) throw new Error(`no panel for interaction ${sent.id}`);
	return panel;
}

async function shownAsBeingDrawn(sent: SentInteraction): Promise<void> {
	await stage.discord.waitFor(() => stage.discord.originalMessage(sent.id)?.history.some((body) => JSON.stringify(body).includes('Being drawn')), 15_000);
}

function workflowsOf(drawingId: string) {
	return [...stage.orchestrator.workflows.values()].filter((workflow) => workflow.body.externalId === drawingId);
}

/** Ends a held workflow and makes the panel due now, so the next poll (≤ 1 s) delivers it. */
async function finishNow(sent: SentInteraction): Promise<void> {
	const panel = await panelOf(sent);
	const [workflow] = workflowsOf(panel.id);
	if (!workflow) throw new Error(`no workflow for panel ${panel.id}`);
	stage.orchestrator.complete(workflow.id);
	await stage.db().drawing.updateMany({ where: { id: panel.id, leaseOwner: null }, data: { dueAt: new Date() } });
}

function arrived(check: (request: (typeof stage.discord.requests)[number]) => boolean): Promise<unknown> {
	return stage.discord.waitFor(() => stage.discord.requests.some(check), 15_000);
}

test("killed with SIGKILL at every point of a panel's life, the restarted bot delivers each panel exactly once, with one workflow each", async () => {
	const { discord, orchestrator, openai } = stage;
	const requestsBefore = discord.requests.length;

	// Before submission: the prompt rewrite hangs.
	openai.stallNext({ path: /chat\/completions/ }, 60_000);
	const rewriting = draw('a lighthouse at night', true);
	await waitFor(
		() => openai.requests.length > 0,
		15_000,
		() => 'the rewrite was never asked for',
	);
	// Generating: submitted and shown as being drawn; the picture comes while the bot is down.
	const generating = draw('a train in the rain [ms:7000]');
	await shownAsBeingDrawn(generating);
	// Downloading: the workflow succeeded, the image download hangs.
	orchestrator.stallNext({ method: 'GET', path: /^\/blobs\// }, 60_000);
	const downloading = draw('a market at noon');
	await waitFor(
		() => orchestrator.requests.some((request) => request.path.startsWith('/blobs/')),
		15_000,
		() => 'no image download',
	);
	// Editing and posting wait for their workflows, shown as being drawn.
	const editing = draw('a bridge at dawn [hold]');
	const posting = draw('a castle in snow [hold]');
	await shownAsBeingDrawn(editing);
	await shownAsBeingDrawn(posting);

	// Posting: its message was deleted and its token died, so a new message is posted, which Discord
	// creates only after the bot died. Submitting: the orchestrator gets the workflow, answers too late.
	const postingMessage = discord.originalMessage(posting.id);
	if (!postingMessage) throw new Error('no original message');
	discord.deleteMessage(postingMessage.id);
	discord.expireToken(posting.token);
	const expiredAt = Date.now();
	discord.stallNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/ }, 3_000);
	orchestrator.stallNext({ method: 'POST', path: /^\/v2\/consumer\/workflows$/ }, 3_000);
	await finishNow(posting);
	const submitting = draw('a harbour in fog');
	await arrived((request) => request.at >= expiredAt && request.method === 'POST' && /^\/channels\/\d+\/messages$/.test(request.path));
	await waitFor(
		() => orchestrator.requests.some((request) => request.method === 'POST' && JSON.stringify(request.body).includes('a harbour in fog')),
		15_000,
		() => 'no submission',
	);
	// Editing: the final edit reaches Discord, which applies it a second after the bot died.
	discord.stallNext({ method: 'PATCH', path: new RegExp(`/${editing.token}/`) }, 1_000);
	await finishNow(editing);
	await arrived((request) => request.method === 'PATCH' && request.path.includes(editing.token) && request.files.length > 0);

	await bot.crash();
	const crashedAt = Date.now();

	// Each panel was cut short where the test meant it to be.
	const cut = await Promise.all([rewriting, submitting, generating, downloading, editing, posting].map(panelOf));
	expect(cut.map((panel) => [panel.status, panel.delivery, panel.params !== null, panel.workflowId !== null])).toEqual([
		['queued', 'pending', false, false],
		['queued', 'pending', true, false],
		['generating', 'pending', true, true],
		['generating', 'pending', true, true],
		['ready', 'pending', true, true],
		['ready', 'pending', true, true],
	]);

	bot = await stage.start();
	const ids = cut.map((panel) => panel.id);
	await waitFor(
		async () => (await stage.db().drawing.count({ where: { id: { in: ids }, delivery: 'delivered' } })) === ids.length,
		30_000,
		() => 'not every panel was delivered',
	);

	for (const drawing of await stage.db().drawing.findMany({ where: { id: { in: ids } }, include: { panel: { select: { prompt: true } } } })) {
		const { prompt } = drawing.panel;
		expect(drawing.status, prompt).toBe('ready');
		expect(finalDeliveries(discord, drawing), prompt).toBe(1);
		expect(workflowsOf(drawing.id), prompt).toHaveLength(1);
	}
	// The posted panel is one new message that names its user without pinging anyone.
	const postingPanel = await panelOf(posting);
	const posted = [...discord.messages.values()].filter((message) => message.nonce === nonceFor(postingPanel.id));
	expect(posted).toHaveLength(1);
	expect(posted[0]?.content).toContain('<@100000000000000001>');
	expect(posted[0]?.allowed_mentions).toEqual({ parse: [] });
	expect(postingPanel.messageId).toBe(posted[0]?.id);
	// The edit cut short by the crash had landed: the restarted bot only read the message, and wrote nothing.
	expect(
		webhookCalls(discord, editing.token)
			.filter((call) => call.at > crashedAt)
			.map((call) => call.method),
	).toEqual(['GET']);
	// Its dead token was called once, before the crash, and never again.
	expect(webhookCalls(discord, posting.token).filter((call) => call.at >= expiredAt)).toHaveLength(1);
	// No picture went to Discord beyond one per panel, plus the repeated post that Discord answered with the first message.
	const writes = discord.requests
		.slice(requestsBefore)
		.filter((request) => request.status === 200 && ['PATCH', 'POST'].includes(request.method) && request.files.length > 0);
	expect(writes).toHaveLength(ids.length + 1);
});

test('SIGTERM during a delivery lets it finish, exits 0 within the grace, and the next start picks up the rest', async () => {
	const { discord } = stage;
	const finishing = draw('a lantern festival [hold]');
	const waiting = draw('a desert at dusk [ms:4000]');
	await shownAsBeingDrawn(finishing);
	await shownAsBeingDrawn(waiting);
	discord.stallNext({ method: 'PATCH', path: new RegExp(`/${finishing.token}/`) }, 2_000);
	await finishNow(finishing);
	await arrived((request) => request.method === 'PATCH' && request.path.includes(finishing.token) && request.files.length > 0);

	const stopped = bot.terminate();
	await waitFor(
		() => bot.output.some((line) => line.includes('"shutting down"')),
		5_000,
		() => 'no shutdown',
	);
	// A command that arrives while the bot stops is told to come back instead of being dropped.
	const late = draw('a late request');
	await discord.waitFor(() => discord.callbacks.get(late.id)?.[0]);
	expect(discord.callbacks.get(late.id)?.[0]).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('restarting') } });

	const { code, ms } = await stopped;
	expect(code).toBe(0);
	expect(ms).toBeLessThan(6_000 + 2_000);
	expect((await panelOf(finishing)).delivery).toBe('delivered');
	expect(await stage.db().drawing.count({ where: { interactionId: late.id } })).toBe(0);

	bot = await stage.start();
	const waitingPanel = await panelOf(waiting);
	await waitFor(
		async () => (await stage.db().drawing.findUnique({ where: { id: waitingPanel.id } }))?.delivery === 'delivered',
		20_000,
		() => 'the waiting panel was not delivered',
	);
	for (const sent of [finishing, waiting]) {
		const panel = await panelOf(sent);
		expect(finalDeliveries(discord, panel)).toBe(1);
		expect(panelMessages(discord, panel)).toHaveLength(1);
	}
});
