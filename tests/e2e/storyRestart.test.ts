// A story of 8 panels with an in-flight limit of 2, with the bot killed (SIGKILL) halfway and started
// again: the queue is the database, so exactly 8 workflows are submitted, in order, never more than
// 2 at once, and every panel shows once in the story message.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { modelVersion } from '../fakes/civitai.ts';
import type { FakeMessage } from '../fakes/discord.ts';
import { startStage, waitFor, type BotProcess, type Stage } from '../process.ts';
import { peakRunning, workflowsWith } from './support/queue.ts';
import { buttonId, planJson, scriptPlanner } from './support/story.ts';

let stage: Stage;
let bot: BotProcess;
beforeAll(async () => {
	stage = await startStage({ MAX_PANELS_IN_FLIGHT_PER_USER: '2', PANEL_LEASE_SECONDS: '2' });
	stage.civitai.addModelVersion(modelVersion({ id: 710100, modelId: 710000, baseModel: 'SDXL 1.0', trainedWords: ['kitchar'], model: { name: 'Kit' } }));
	bot = await stage.start();
	await stage.command({ group: 'project', subcommand: 'create', options: { name: 'Saga' } });
	const added = await stage.command({ group: 'character', subcommand: 'add', options: { project: 'Saga', model: '710100' } });
	await stage.discord.waitFor(() => stage.discord.originalMessage(added.id)?.content.includes('Added'));
});
afterAll(async () => {
	await stage?.close();
});

const order = (workflowBody: unknown) => Number(/saga panel (\d+)/.exec(JSON.stringify(workflowBody))?.[1]);

test('a story of eight panels over a restart: eight workflows, in order, at most two at once, each shown once', async () => {
	const panels = Array.from({ length: 8 }, (_, index) => ({ description: `saga panel ${index + 1}`, characters: ['Kit'] }));
	scriptPlanner(stage.openai, () => planJson(panels));
	// Each workflow takes 600 ms, so the queue moves while the bot is down and up again.
	stage.orchestrator.behaviour = () => ({ durationMs: 600 });
	const planned = await stage.command({ subcommand: 'story', options: { project: 'Saga', story: 'Kit goes on a long journey', panels: 8 } });
	const plan = await stage.discord.waitFor(() => {
		const message = stage.discord.originalMessage(planned.id);
		return message?.content.includes('Story plan') ? message : undefined;
	}, 15_000);
	const pressed = stage.discord.sendButton({ customId: buttonId(plan, 'Draw all'), messageId: plan.id });
	await waitFor(
		() => workflowsWith(stage.orchestrator, 'saga panel').length >= 3,
		20_000,
		() => 'the story did not start',
	);
	await bot.crash();
	bot = await stage.start();
	const db = stage.db();
	await waitFor(
		async () => (await db.drawing.count({ where: { status: 'ready', delivery: 'delivered', panel: { prompt: { startsWith: 'saga panel' } } } })) === 8,
		60_000,
		() => 'not every panel of the story was drawn',
	);
	const workflows = workflowsWith(stage.orchestrator, 'saga panel');
	expect(workflows).toHaveLength(8);
	expect(workflows.map((workflow) => order(workflow.body))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
	expect(peakRunning(workflows)).toBeLessThanOrEqual(2);
	const message = await stage.discord.waitFor(() => {
		const found = [...stage.discord.messages.values()].find((m: FakeMessage) => m.interactionId === pressed.id && !m.ephemeral && m.content.includes('story'));
		return found?.content.includes('Story finished: 8 of 8 drawn') ? found : undefined;
	}, 15_000);
	expect(message.attachments).toHaveLength(8);
});
