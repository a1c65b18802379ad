// npm run bench:admission [-- --pg]: the SQL statements of admitting one `/comic panel` (from the command to the
// drawing stored and started), by shape, on a quiet bot: the figures docs/decisions/029 gives for admission.
// The drawing's workflow is held running, so what follows admission is only the first run (read, prepare, submit).
import { parseArgs } from 'node:util';
import { modelVersion } from '../tests/fakes/civitai.ts';
import { startWorld } from '../tests/world.ts';
import { scenarioDatabase, startBenchServer } from './database.ts';

const { values } = parseArgs({ options: { pg: { type: 'boolean', default: false }, panels: { type: 'string', default: '5' } } });
const server = values.pg ? startBenchServer() : undefined;
const database = await scenarioDatabase(server);
const world = await startWorld({ ...(database.url ? { DATABASE_URL: database.url } : {}), LOG_LEVEL: 'warn' });
try {
	const snapshot = async () => {
		const metric = await world.bot.metrics.dbStatements.get();
		return new Map(metric.values.map((value) => [String(value.labels.shape), value.value]));
	};
	// Workflows run for ten minutes: after admission only the first run (read, prepare, submit) is counted.
	world.orchestrator.behaviour = () => ({ durationMs: 600_000, outcome: 'succeeded' });
	world.civitai.addModelVersion(modelVersion({ id: 900001, modelId: 900000, baseModel: 'SDXL 1.0', trainedWords: ['probechar'], model: { name: 'Hero' } }));
	const panels = Number(values.panels);
	const totals = new Map<string, number>();
	// Each panel by a user of its own (a held workflow takes one of the user's in-flight slots); the first one warms up.
	for (let index = -1; index < panels; index++) {
		const userId = String(410_000_000_000_000_000n + BigInt(index + 1));
		await world.command({ group: 'project', subcommand: 'create', userId, options: { name: 'Probe' } });
		await world.command({ group: 'character', subcommand: 'add', userId, options: { project: 'Probe', model: '900001' } });
		await new Promise((resolve) => setTimeout(resolve, 300));
		const before = await snapshot();
		const submitted = world.orchestrator.workflows.size;
		await world.command({ subcommand: 'panel', userId, options: { project: 'Probe', prompt: `probe ${index}`, enhance: false } });
		await world.discord.waitFor(() => world.orchestrator.workflows.size > submitted || undefined, 15_000);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const after = await snapshot();
		if (index >= 0) for (const [shape, count] of after) totals.set(shape, (totals.get(shape) ?? 0) + count - (before.get(shape) ?? 0));
	}
	const rows = [...totals]
		.map(([shape, count]) => ({ shape, perPanel: count / panels }))
		.filter((row) => row.perPanel > 0)
		.sort((a, b) => b.perPanel - a.perPanel);
	console.log(
		`SQL statements per /comic panel, admission and first run (${server?.label ?? 'embedded SQLite'}), ${rows.reduce((sum, row) => sum + row.perPanel, 0).toFixed(1)} in all:`,
	);
	for (const row of rows) console.log(`  ${row.perPanel.toFixed(2).padStart(6)}  ${row.shape}`);
} finally {
	await world.close();
	await database.drop();
	server?.stop();
}
