// npm run bench [-- --panels 200 --scale 0.25 --rss-panels 1000] [-- --pictures: only 200 panels of characters from pictures] [-- --pg]
// BENCH_DISCORD_ROUTES=1 also prints the Discord requests per panel by route (to stderr).
// Runs the real bot (its own process) against the local fakes in several configurations and prints
// one table. Generation times are drawn from 5–60 s and scaled by --scale to keep the run short.
import { parseArgs } from 'node:util';
import { buildBot } from './botProcess.ts';
import { type BenchServer, scenarioDatabase, startBenchServer } from './database.ts';
import { runScenario, type ScenarioResult } from './scenario.ts';
import { runStoryScenario } from './storyScenario.ts';

const { values } = parseArgs({
	options: {
		panels: { type: 'string', default: '200' },
		scale: { type: 'string', default: '0.25' },
		'rss-panels': { type: 'string', default: '1000' },
		only: { type: 'string' },
		// Runs only the scenario of --panels panels of characters from pictures drawn at once (imageGen, nano-banana-2).
		pictures: { type: 'boolean', default: false },
		// On PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL when set, else a server started as the tests do (bench/database.ts).
		pg: { type: 'boolean', default: false },
	},
});
const panels = Number(values.panels);
const scale = Number(values.scale);
const rssPanels = Number(values['rss-panels']);

interface Planned {
	readonly name: string;
	readonly panels: number;
	readonly scale: number;
	readonly env: Record<string, string>;
	readonly callbacks?: boolean;
	readonly durationRange?: readonly [number, number];
	readonly spreadMs?: number;
	readonly queueAhead?: number;
	readonly pictures?: boolean;
}

const scenarios: Planned[] = [
	{ name: 'baseline: every workflow every 3 s', panels, scale, env: { POLL_SCHEDULE: 'fixed', POLL_INTERVAL_SECONDS: '3' } },
	{ name: 'polling only (default)', panels, scale, env: {} },
	{ name: 'callbacks + polling safety net', panels, scale, env: {}, callbacks: true },
	// Progress edits: generations of 10–30 s behind a queue that empties, so progress changes while panels are in flight.
	{ name: 'progress on: 200 in flight, 10–30 s', panels, scale: 0.5, env: { PANEL_PROGRESS: 'on' }, durationRange: [20, 60], queueAhead: 20 },
	{ name: 'progress off: 200 in flight, 10–30 s', panels, scale: 0.5, env: { PANEL_PROGRESS: 'off' }, durationRange: [20, 60], queueAhead: 20 },
	// Memory: commands spread over 20 s, generations of 40–60 s, so all panels are in flight together.
	{ name: `${rssPanels} panels in flight (memory)`, panels: rssPanels, scale: 1, env: {}, durationRange: [40, 60], spreadMs: 20_000 },
];
// --pictures runs only this one: --panels characters made from pictures, drawn at once by nano-banana-2.
const pictures: Planned = { name: `pictures: ${panels} panels from pictures at once (imageGen)`, panels, scale, env: {}, pictures: true };
if (values.pictures) scenarios.splice(0, scenarios.length, pictures);

buildBot();
const server: BenchServer | undefined = values.pg ? startBenchServer() : undefined;
try {
	// Stories: 50 users start a 6-panel story at once (in-flight limit 2) while 20 others draw single panels.
	if (!values.pictures && (!values.only || 'stories'.includes(values.only))) {
		process.stderr.write('running: stories (50 users × 6 panels)…\n');
		const database = await scenarioDatabase(server);
		const story = await runStoryScenario({ users: 50, panels: 6, singles: 20, durationMs: [2_000, 8_000], databaseUrl: database.url }).finally(() =>
			database.drop(),
		);
		const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');
		console.log(
			`stories: ${story.drawn}/${story.users * story.panelsPerStory} drawn in ${Math.round(story.seconds)} s; slot freed → next submission p50 ${ms(story.slotToSubmission.p50)}, p99 ${ms(story.slotToSubmission.p99)}, max ${ms(story.slotToSubmission.max)}; single-panel ack of other users p50 ${ms(story.singleAck.p50)}, p99 ${ms(story.singleAck.p99)}; most running for one user: ${story.peakPerUser}\n`,
		);
	}
	const results: ScenarioResult[] = [];
	for (const scenario of scenarios) {
		if (values.only && !scenario.name.includes(values.only)) continue;
		process.stderr.write(`running: ${scenario.name} (${scenario.panels} panels)…\n`);
		const database = await scenarioDatabase(server);
		try {
			results.push(await runScenario({ ...scenario, databaseUrl: database.url }));
		} finally {
			await database.drop();
		}
	}

	const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');
	const num = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : 'n/a');
	const rows = results.map((result) => [
		result.name,
		`${result.delivered}/${result.panels}`,
		`${ms(result.ack.p50)} / ${ms(result.ack.p99)} / ${ms(result.ack.max)}`,
		`${ms(result.completionToImage.p50)} / ${ms(result.completionToImage.p99)}`,
		num(result.workflowReadsPerPanel),
		num(result.orchestratorRequestsPerPanel),
		num(result.discordRequestsPerPanel),
		num(result.dbQueriesPerPanel),
		Number.isFinite(result.cpuMsPerPanel) ? `${result.cpuMsPerPanel.toFixed(1)} ms` : 'n/a',
		`${Math.round(result.peakRssMb)} MB`,
		Number.isFinite(result.zeroWindows) ? String(result.zeroWindows) : 'n/a',
		String(result.peakInFlight),
		`${Math.round(result.seconds)} s`,
	]);
	const header = [
		'scenario',
		'delivered',
		'ack p50 / p99 / max',
		'completion→image p50 / p99',
		'workflow reads/panel',
		'orchestrator req/panel',
		'Discord req/panel',
		'DB queries/panel',
		'bot CPU/panel',
		'peak RSS',
		'TCP windows closed',
		'peak in flight',
		'run',
	];
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
	const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
	if (results.length > 0) {
		console.log(line(header));
		console.log(line(widths.map((width) => '-'.repeat(width))));
		for (const row of rows) console.log(line(row));
		console.log(
			`\nGeneration times 5–60 s × ${scale}; ${panels} users drawing at once; database: ${server?.label ?? 'embedded SQLite'}; peak RSS is the bot process's VmHWM.`,
		);
		console.log(
			'TCP windows closed: receive windows this machine closed while the commands came in (the bot reading its gateway socket slower than the burst arrives); on loopback each can hold the gateway back up to ~200 ms (docs/decisions/006).',
		);
	}
	// What each statement per panel is for: counted by shape (operation, table, columns written or filtered on).
	for (const result of results) {
		console.log(`\nSQL statements per panel by shape — ${result.name} (${num(result.dbQueriesPerPanel)} in all):`);
		for (const row of result.statementsPerPanel) if (row.perPanel >= 0.05) console.log(`  ${row.perPanel.toFixed(2).padStart(6)}  ${row.shape}`);
	}
} finally {
	server?.stop();
}
