// Acknowledged means kept: the bot as a real process is killed with SIGKILL while commands it has
// acknowledged ("thinking…" shown to the user) are not finished yet; after the restart every one of
// them is either finished (a panel delivered) or plainly told to be run again, never left thinking.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RESTARTED_BEFORE_DONE } from '../../src/discord/inbox.ts';
import { modelVersion } from '../fakes/civitai.ts';
import { FLAG_LOADING } from '../fakes/discord-messages.ts';
import type { SentInteraction } from '../fakes/discord.ts';
import { startStage, waitFor, type BotProcess, type Stage } from '../process.ts';

let stage: Stage;
let bot: BotProcess;

beforeAll(async () => {
	stage = await startStage({ MAX_PANELS_IN_FLIGHT_PER_USER: '100', MAX_PANELS_QUEUED_PER_USER: '100' });
	stage.orchestrator.behaviour = () => ({ durationMs: 300 });
	stage.civitai.addModelVersion(modelVersion({ id: 710100, modelId: 710000, baseModel: 'SDXL 1.0', model: { name: 'Ivy' } }));
	stage.civitai.addModelVersion(modelVersion({ id: 710200, modelId: 710001, baseModel: 'SDXL 1.0', model: { name: 'Oak' } }));
	bot = await stage.start();
	await stage.command({ group: 'project', subcommand: 'create', options: { name: 'Inbox' } });
	const added = await stage.command({ group: 'character', subcommand: 'add', options: { project: 'Inbox', model: '710100' } });
	await stage.discord.waitFor(() => stage.discord.originalMessage(added.id)?.content.includes('Added'));
});

afterAll(async () => {
	await stage?.close();
});

const acknowledged = (sent: SentInteraction): boolean => (stage.discord.callbacks.get(sent.id)?.length ?? 0) > 0;
const thinking = (sent: SentInteraction): boolean => ((stage.discord.originalMessage(sent.id)?.flags ?? 0) & FLAG_LOADING) !== 0;

test('a command acknowledged and cut off by SIGKILL before it was done is told, after the restart, to be run again', async () => {
	const { discord, civitai } = stage;
	// The model lookup hangs: the command has been acknowledged and has stored nothing when the bot dies.
	civitai.stallNext({ method: 'GET', path: /model-versions\/710200/ }, 60_000);
	const adding = discord.sendCommand({ group: 'character', subcommand: 'add', options: { project: 'Inbox', model: '710200' } });
	await waitFor(
		() => acknowledged(adding) && civitai.requests.some((request) => request.path.includes('710200')),
		15_000,
		() => 'the command was not acknowledged, or the lookup never asked',
	);
	expect(thinking(adding)).toBe(true);
	await bot.crash();

	bot = await stage.start();
	const reply = await discord.waitFor(() => {
		const message = discord.originalMessage(adding.id);
		return message && !thinking(adding) ? message : undefined;
	}, 15_000);
	expect(reply.content).toBe(RESTARTED_BEFORE_DONE);
	expect(await stage.db().character.count({ where: { name: 'Oak' } })).toBe(0);
	expect(await stage.db().inboxEntry.count()).toBe(0);
});

test('SIGKILL in the middle of a burst of panels: every acknowledged one is delivered or told, none is left thinking and none is told twice', async () => {
	const { discord } = stage;
	const sent = Array.from({ length: 60 }, (_, index) =>
		discord.sendCommand({ subcommand: 'panel', options: { project: 'Inbox', prompt: `burst panel ${index}`, enhance: false } }),
	);
	await waitFor(
		() => sent.filter(acknowledged).length >= 20,
		20_000,
		() => 'fewer than 20 of the burst were acknowledged',
	);
	await bot.crash();
	const acked = sent.filter(acknowledged);
	const storedAtCrash = await stage.db().drawing.count({ where: { interactionId: { in: acked.map((one) => one.id) } } });

	bot = await stage.start();
	await waitFor(
		() => acked.every((one) => !thinking(one) && (discord.originalMessage(one.id)?.attachments.length ?? 0) + (told(one) ? 1 : 0) > 0),
		60_000,
		() => `still waiting: ${acked.filter((one) => thinking(one)).length} thinking of ${acked.length} acknowledged (stored at the crash: ${storedAtCrash})`,
	);
	for (const one of acked) {
		const stored = await stage.db().drawing.count({ where: { interactionId: one.id } });
		// A stored panel is delivered, never told to be run again; one that was not stored is told.
		expect(told(one)).toBe(stored === 0);
	}
});

function told(sent: SentInteraction): boolean {
	return stage.discord.originalMessage(sent.id)?.content === RESTARTED_BEFORE_DONE;
}
