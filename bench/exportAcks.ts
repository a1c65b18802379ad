// npx tsx bench/exportAcks.ts [--panels 20] [--format jpeg|pdf]   (also: npm run bench:export-acks)
// The real bot against the test fakes: draws N panels with words, then exports them while other users
// send `/comic project list` every 50 ms, and reports how long those commands waited for their
// acknowledgement (sent → the bot's interaction callback reaches the fake Discord).
import { parseArgs } from 'node:util';
import { modelVersion } from '../tests/fakes/civitai.ts';
import { noise } from '../tests/unit/images/pictures.ts';
import { startWorld } from '../tests/world.ts';

const { values } = parseArgs({ options: { panels: { type: 'string', default: '20' }, format: { type: 'string', default: 'jpeg' } } });
const count = Number(values.panels);
const world = await startWorld({ MAX_PANELS_IN_FLIGHT_PER_USER: String(count), MAX_PANELS_PER_USER_PER_DAY: '1000', LOG_LEVEL: 'info' });
try {
	const picture = await noise(832, 1216);
	world.orchestrator.behaviour = () => ({ durationMs: 30, outcome: 'succeeded', image: picture });
	const userId = '100000000000000777';
	const version = modelVersion({ baseModel: 'SDXL 1.0', trainedWords: ['herochar'] });
	world.civitai.addModelVersion(version);
	await world.command({ userId, group: 'project', subcommand: 'create', options: { name: 'Bench' } });
	const added = await world.command({ userId, group: 'character', subcommand: 'add', options: { project: 'Bench', model: String(version.id) } });
	await world.waitForOriginal(added.id, (message) => message.content.includes('Added'));
	const drawn = [];
	for (let i = 0; i < count; i++) {
		const options = { project: 'Bench', prompt: `scene ${i}`, enhance: false, caption: `Chapter ${i}`, dialogue: 'Mira: Run! | Rex: Not without the map.' };
		drawn.push(world.discord.sendCommand({ userId, subcommand: 'panel', options }));
	}
	for (const sent of drawn) await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1, 120_000);

	const acks: number[] = [];
	const pending = new Map<string, number>();
	let exporting = true;
	const started = Date.now();
	const exported = world.command({ userId, subcommand: 'export', options: { project: 'Bench', format: values.format ?? 'jpeg' } });
	const others = (async () => {
		for (let i = 0; exporting; i++) {
			const sent = world.discord.sendCommand({ userId: `1000000000000010${String(i % 100).padStart(2, '0')}`, group: 'project', subcommand: 'list' });
			pending.set(sent.id, Date.now());
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	})();
	await exported;
	await world.discord.waitFor(() => world.logs.some((line) => line.includes('comic exported')) || undefined, 300_000);
	const seconds = (Date.now() - started) / 1000;
	exporting = false;
	await others;
	await new Promise((resolve) => setTimeout(resolve, 500));
	for (const [id, sentAt] of pending) {
		const callback = world.discord.requests.find((request) => request.path.startsWith(`/interactions/${id}/`));
		if (callback) acks.push(callback.at - sentAt);
	}
	acks.sort((a, b) => a - b);
	const at = (share: number) => acks[Math.min(acks.length - 1, Math.floor(share * acks.length))] ?? Number.NaN;
	console.log(
		JSON.stringify({
			panels: count,
			format: values.format,
			exportSeconds: seconds,
			commands: acks.length,
			ackP50Ms: at(0.5),
			ackP99Ms: at(0.99),
			ackMaxMs: acks.at(-1),
		}),
	);
} finally {
	await world.close();
}
