// Change across a crash (issue 21): the bot as a real process, killed with SIGKILL after the panel's
// picture was uploaded to the blob store and before the Change's workflow was submitted; the restarted
// bot submits it exactly once, delivers it once, and the ledger counts it once.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { finalDeliveries } from '../deliveries.ts';
import { modelVersion } from '../fakes/civitai.ts';
import { startStage, waitFor, type BotProcess, type Stage } from '../process.ts';

let stage: Stage;
let bot: BotProcess;
const ADMIN = (2248473465835073n | 0x20n).toString();

beforeAll(async () => {
	stage = await startStage({ SHUTDOWN_GRACE_SECONDS: '2' });
	stage.civitai.addModelVersion(modelVersion({ id: 700300, modelId: 700301, baseModel: 'SDXL 1.0', model: { name: 'Pia' } }));
	bot = await stage.start();
	// Drawn at once: the confirmation has its own tests.
	await stage.command({ memberPermissions: ADMIN, subcommand: 'settings', options: { confirm_above: 100_000 } });
	await stage.command({ group: 'project', subcommand: 'create', options: { name: 'Crashes' } });
	const added = await stage.command({ group: 'character', subcommand: 'add', options: { project: 'Crashes', model: '700300' } });
	await stage.discord.waitFor(() => stage.discord.originalMessage(added.id)?.content.includes('Added'), 15_000);
});

afterAll(async () => {
	await stage?.close();
});

test('a Change killed between the upload of the picture and the submission: the restarted bot submits it once, delivers it once, and bills it once', async () => {
	const { discord, orchestrator } = stage;
	const sent = discord.sendCommand({ subcommand: 'panel', options: { project: 'Crashes', prompt: 'a red kite over the dunes', enhance: false } });
	const panelMessage = await discord.waitFor(() => {
		const message = discord.originalMessage(sent.id);
		return message?.attachments.length === 1 && JSON.stringify(message.components).includes('Change') ? message : undefined;
	}, 20_000);
	const first = await stage.db().drawing.findFirstOrThrow({ where: { interactionId: sent.id } });

	// The price request that follows the upload hangs: the process is killed there.
	const uploadsBefore = orchestrator.uploads.length;
	const postsBefore = orchestrator.requests.filter((request) => request.path === '/v2/consumer/workflows' && request.method === 'POST').length;
	orchestrator.stallNext({ method: 'POST', path: /^\/v2\/consumer\/workflows$/ }, 60_000);
	const change = discord.sendModalSubmit({
		customId: `panel-change:${first.id}`,
		fields: { instruction: 'make it dusk' },
		messageId: panelMessage.id,
	});
	await waitFor(
		() =>
			orchestrator.uploads.length === uploadsBefore + 1 &&
			orchestrator.requests.filter((request) => request.path === '/v2/consumer/workflows' && request.method === 'POST').length > postsBefore,
		20_000,
		() => `never reached the request after the upload: uploads ${orchestrator.uploads.length - uploadsBefore}`,
	);
	const drawing = await stage.db().drawing.findFirstOrThrow({ where: { interactionId: change.id } });
	expect(drawing.changeInstruction).toBe('make it dusk');
	expect(drawing.workflowId).toBeNull();
	await bot.crash();
	const submissionsOf = () =>
		orchestrator.submissions.filter(
			(submission) => submission.query.get('whatif') !== 'true' && JSON.stringify(submission.body).includes(`"externalId":"${drawing.id}"`),
		);
	expect(submissionsOf()).toHaveLength(0);

	bot = await stage.start();
	const done = await waitFor(
		async () => {
			const row = await stage.db().drawing.findUniqueOrThrow({ where: { id: drawing.id } });
			return row.status === 'ready' && row.delivery === 'delivered';
		},
		30_000,
		() => 'the change was not delivered after the restart',
	).then(() => stage.db().drawing.findUniqueOrThrow({ where: { id: drawing.id } }));
	// One submission, one workflow, one delivery of the final state.
	expect(submissionsOf()).toHaveLength(1);
	expect([...orchestrator.workflows.values()].filter((workflow) => workflow.body.externalId === drawing.id)).toHaveLength(1);
	expect(finalDeliveries(discord, { ...done, interactionId: change.id })).toBe(1);
	// The upload before the crash was stored with the drawing's input: the picture was not sent again.
	expect(orchestrator.uploads).toHaveLength(uploadsBefore + 1);
	expect(JSON.stringify(submissionsOf()[0]?.body)).toContain(orchestrator.uploads.at(-1)?.blobId ?? '?');
	// The ledger counts the change once, with what its one workflow cost.
	const entries = await stage.db().usageEntry.findMany({ where: { drawingId: drawing.id } });
	expect(entries).toHaveLength(1);
	expect(entries[0]?.kind).toBe('change');
	expect(done.cost).toBeGreaterThan(0);
	expect(entries[0]?.buzzActual).toBe(done.cost);
	expect(await stage.db().take.count({ where: { drawingId: drawing.id } })).toBe(1);
});
