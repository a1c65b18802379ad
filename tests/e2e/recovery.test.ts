// Crash recovery without waiting out leases: a bot killed with SIGKILL while it holds drawings in every
// state (prompt being rewritten, workflow running, delivery stalled at Discord) and started again is
// back at work at once, although the dead process's leases (PANEL_LEASE_SECONDS=60) have most of a
// minute left. Every panel ends delivered exactly once, with one workflow.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { finalDeliveries } from '../deliveries.ts';
import { modelVersion } from '../fakes/civitai.ts';
import type { SentInteraction } from '../fakes/discord.ts';
import type { WorkflowBehaviour } from '../fakes/orchestrator.ts';
import { startStage, waitFor, type Stage } from '../process.ts';

let stage: Stage;

function behaviourFor(body: Record<string, unknown>): Partial<WorkflowBehaviour> {
	return { durationMs: JSON.stringify(body).includes('[hold]') ? Number.POSITIVE_INFINITY : 200 };
}

beforeAll(async () => {
	stage = await startStage({ PANEL_LEASE_SECONDS: '60', MAX_PANELS_IN_FLIGHT_PER_USER: '20', POLL_INTERVAL_SECONDS: '1' });
	stage.orchestrator.behaviour = behaviourFor;
	stage.civitai.addModelVersion(modelVersion({ id: 710100, modelId: 710000, baseModel: 'SDXL 1.0', model: { name: 'Mira' } }));
	const bot = await stage.start();
	await stage.command({ group: 'project', subcommand: 'create', options: { name: 'Recovery' } });
	const added = await stage.command({ group: 'character', subcommand: 'add', options: { project: 'Recovery', model: '710100' } });
	await stage.discord.waitFor(() => stage.discord.originalMessage(added.id)?.content.includes('Added'));
	await bot.crash();
});

afterAll(async () => {
	await stage?.close();
});

function draw(prompt: string, enhance = false): SentInteraction {
	return stage.discord.sendCommand({ subcommand: 'panel', options: { project: 'Recovery', prompt, enhance } });
}

async function drawingOf(sent: SentInteraction) {
	const drawing = await stage.db().drawing.findFirst({ where: { interactionId: sent.id } });
	if (!drawing) throw new Error(`no drawing for interaction ${sent.id}`);
	return drawing;
}

test('killed with SIGKILL holding drawings in every state, the restarted bot takes them over at once instead of waiting out their leases', async () => {
	const { discord, orchestrator, openai } = stage;
	const bot = await stage.start({ OPENAI_TIMEOUT_SECONDS: '10' });
	const started = (sent: SentInteraction) =>
		waitFor(
			async () => (await stage.db().drawing.count({ where: { interactionId: sent.id } })) === 1,
			15_000,
			() => 'not stored',
		);
	// 1. The LLM rewrite is under way (the fake answers after 9.5 s, within the bot's 10 s).
	openai.delayMs = 9_500;
	const rewriting = draw('a rooftop chase', true);
	await waitFor(
		() => openai.completions.length > 0,
		15_000,
		() => 'the LLM was never asked',
	);
	openai.delayMs = 0;
	// 2. A workflow is running.
	const running = draw('[hold] a quiet street');
	await waitFor(
		() => orchestrator.submissions.some((submission) => JSON.stringify(submission.body).includes('quiet street')),
		15_000,
		() => 'no submission',
	);
	// 3. A finished drawing whose final edit is stalled at Discord (after its "being drawn" edit went through).
	const stalled = draw('[hold] a door slams');
	const patches = () => discord.requests.filter((request) => request.method === 'PATCH' && request.path.includes(stalled.token)).length;
	await waitFor(
		() => patches() === 1,
		15_000,
		() => 'no progress edit',
	);
	discord.stallNext({ method: 'PATCH', path: /\/webhooks\/.+\/messages\/@original$/ }, 60_000, 1);
	const slamming = [...orchestrator.workflows.values()].find((wf) => JSON.stringify(wf.body).includes('door slams'));
	if (!slamming) throw new Error('no workflow for the stalled panel');
	orchestrator.complete(slamming.id);
	await stage.db().drawing.updateMany({ where: { interactionId: stalled.id, leaseOwner: null }, data: { dueAt: new Date() } });
	await waitFor(
		() => patches() === 2,
		15_000,
		() => 'no final edit',
	);
	for (const sent of [rewriting, running, stalled]) await started(sent);
	// The rewrite and the stalled delivery are held (leased) by the process about to die; the running workflow waits for its next read.
	const held = await Promise.all([rewriting, stalled].map(drawingOf));
	for (const drawing of held) expect(drawing.leaseOwner, 'held by the process about to die').not.toBeNull();
	await bot.crash();

	const restartedAt = Date.now();
	const leasesEndAt = Math.min(...held.map((drawing) => drawing.leaseUntil?.getTime() ?? 0));
	const restarted = await stage.start({ OPENAI_TIMEOUT_SECONDS: '10' });
	const [workflow] = [...orchestrator.workflows.values()].filter((wf) => JSON.stringify(wf.body).includes('quiet street'));
	if (!workflow) throw new Error('the running workflow is missing');
	orchestrator.complete(workflow.id);

	const sent = [rewriting, running, stalled];
	// Waited for only while the dead process's leases are in force: a bot that waited them out fails here.
	await waitFor(
		async () => (await stage.db().drawing.count({ where: { interactionId: { in: sent.map((s) => s.id) }, delivery: 'delivered' } })) === 3,
		leasesEndAt - Date.now() - 2_000,
		() => 'not every panel was delivered while the dead process still held their leases',
	);
	const doneAt = Date.now();
	expect(restarted.output.some((line) => line.includes('took over the work of a process that died'))).toBe(true);
	process.stdout.write(
		`recovery: every panel delivered ${((doneAt - restartedAt) / 1000).toFixed(1)} s after the restart (leases had ${((leasesEndAt - restartedAt) / 1000).toFixed(0)} s left)\n`,
	);

	for (const interaction of sent) {
		const drawing = await drawingOf(interaction);
		expect(finalDeliveries(discord, drawing), `panel of ${interaction.id} shown once`).toBe(1);
		expect([...orchestrator.workflows.values()].filter((wf) => wf.body.externalId === drawing.id)).toHaveLength(1);
	}
});
