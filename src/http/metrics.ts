import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PanelMessenger, DrawingView } from '../comic/generation/deps.ts';
import { drawingJobs } from '../db/database.ts';
import type { Db } from '../db/database.ts';
import type { Log } from '../log.ts';
import { statementShape } from '../db/statementShape.ts';

const STATUSES = ['queued', 'generating', 'ready', 'failed'] as const;
const DELIVERIES = ['pending', 'delivered', 'undelivered'] as const;
/** Completion times the orchestrator reported, kept until the panel is delivered; bounded so a lost panel cannot grow it. */
const MAX_REMEMBERED_COMPLETIONS = 10_000;

/**
 * What operators watch: one registry per bot (tests run several bots in a process), filled by
 * wrappers around the outside clients and by queries on a timer (never at scrape time). Nothing here changes
 * what the bot does.
 */
export class Metrics {
	public readonly registry = new Registry();

	/** Orchestrator completion (or, failing that, the bot's own) → the final state shown in Discord. */
	public readonly deliveryLatency = new Histogram({
		name: 'comic_delivery_latency_seconds',
		help: 'Time from the end of a workflow to its panel shown in Discord',
		labelNames: ['status'] as const,
		buckets: [0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60, 300],
		registers: [this.registry],
	});

	public readonly orchestratorErrors = new Counter({
		name: 'comic_orchestrator_errors_total',
		help: 'Failed calls to the orchestrator, by operation and HTTP status (0: network or timeout)',
		labelNames: ['operation', 'status'] as const,
		registers: [this.registry],
	});

	public readonly discordErrors = new Counter({
		name: 'comic_discord_errors_total',
		help: 'Failed Discord REST requests (each try), by route kind, HTTP status (0: network or timeout) and Discord error code',
		labelNames: ['route', 'status', 'code'] as const,
		registers: [this.registry],
	});

	public readonly callbacks = new Counter({
		name: 'comic_orchestrator_callbacks_total',
		help: 'Orchestrator callbacks received, by what the bot did with them',
		labelNames: ['result'] as const,
		registers: [this.registry],
	});

	public readonly interactions = new Counter({
		name: 'comic_http_interactions_total',
		help: 'Requests to the HTTP interactions endpoint, by result',
		labelNames: ['result'] as const,
		registers: [this.registry],
	});

	public readonly dbQueries = new Counter({
		name: 'comic_db_queries_total',
		help: 'SQL statements sent to the database',
		registers: [this.registry],
	});

	public readonly dbStatements = new Counter({
		name: 'comic_db_statements_total',
		help: 'SQL statements sent to the database, by shape (operation, table, columns written or filtered on)',
		labelNames: ['shape'] as const,
		registers: [this.registry],
	});

	/** The counter of each shape, kept: a statement is counted without its labels checked again (bounded like the shapes). */
	private readonly statementsByShape = new Map<string, { inc(): void }>();

	/** Counts one statement, in all and by its shape (src/db/statementShape.ts). */
	public countStatement(sql: string): void {
		this.dbQueries.inc();
		const shape = statementShape(sql);
		let counter = this.statementsByShape.get(shape);
		if (!counter) {
			counter = this.dbStatements.labels({ shape });
			this.statementsByShape.set(shape, counter);
		}
		counter.inc();
	}

	private readonly completions = new Map<string, number>();
	private processMetrics = false;

	/**
	 * Panels by state, poll lag and the size of DATA_DIR, computed every `intervalMs` on an unref'd
	 * timer (one grouped query, one indexed read, an asynchronous walk of the folder) and answered from
	 * those values: a scrape costs no query, so scraping often (or by anyone who can reach the port)
	 * never loads the database. A failed refresh keeps the last values.
	 */
	public watchPanels(stats: PanelStats, log: Log, options: WatchOptions): PanelWatch {
		const now = options.now ?? Date.now;
		const panels = new Gauge({
			name: 'comic_panels',
			help: 'Panels by generation status and delivery state (refreshed on a timer)',
			labelNames: ['status', 'delivery'] as const,
			registers: [this.registry],
		});
		// The oldest due date is what is kept; the lag grows with the clock between refreshes.
		let oldestDue: Date | undefined;
		new Gauge({
			name: 'comic_poll_lag_seconds',
			help: 'How long the oldest due, unclaimed panel has been waiting for a poller (0: none waiting); its due date is refreshed on a timer',
			registers: [this.registry],
			collect() {
				this.set(oldestDue ? Math.max(0, now() - oldestDue.getTime()) / 1000 : 0);
			},
		});
		const dataDirBytes = options.dataDir
			? new Gauge({
					name: 'comic_data_dir_bytes',
					help: 'Bytes of the files in DATA_DIR (pictures, the embedded database), refreshed on a timer',
					registers: [this.registry],
				})
			: undefined;

		let running: Promise<void> | undefined;
		const refreshOnce = async (): Promise<void> => {
			const rows = await stats.countByState().catch((error: unknown) => log.warn({ err: error }, 'metrics: could not count panels'));
			if (rows) {
				// Every combination, zeros included, so that series do not vanish between scrapes.
				for (const status of STATUSES) for (const delivery of DELIVERIES) panels.set({ status, delivery }, 0);
				for (const row of rows) panels.set({ status: row.status, delivery: row.delivery }, row.count);
			}
			const due = await stats.oldestDue(new Date(now())).then(
				(value) => ({ value }),
				(error: unknown) => log.warn({ err: error }, 'metrics: could not read the poll lag'),
			);
			if (due) oldestDue = due.value;
			if (dataDirBytes && options.dataDir) {
				const bytes = await folderBytes(options.dataDir).catch((error: unknown) => log.warn({ err: error }, 'metrics: could not measure DATA_DIR'));
				if (bytes !== undefined) dataDirBytes.set(bytes);
			}
		};
		// One refresh at a time: a slow database never piles them up.
		const refresh = (): Promise<void> => {
			running ??= refreshOnce().finally(() => {
				running = undefined;
			});
			return running;
		};
		void refresh();
		const timer = setInterval(() => void refresh(), options.intervalMs);
		timer.unref();
		return { refresh, stop: () => clearInterval(timer) };
	}

	/** RSS, heap, event loop lag, CPU: prom-client's standard process metrics. Once per registry. */
	public collectProcessMetrics(): void {
		if (this.processMetrics) return;
		this.processMetrics = true;
		collectDefaultMetrics({ register: this.registry });
	}

	/** The orchestrator's own completion time of a workflow this process read as ended. */
	public noteCompletion(workflowId: string, completedAt: number): void {
		if (this.completions.size >= MAX_REMEMBERED_COMPLETIONS) {
			const oldest = this.completions.keys().next();
			if (!oldest.done) this.completions.delete(oldest.value);
		}
		this.completions.set(workflowId, completedAt);
	}

	/** Wraps the messenger to time each final delivery; progress edits are not deliveries. */
	public timeDeliveries(messenger: PanelMessenger, now: () => number = Date.now): PanelMessenger {
		return async (panel) => {
			const result = await messenger(panel);
			if (result.ok) this.observeDelivery(panel, now());
			return result;
		};
	}

	private observeDelivery(panel: DrawingView, at: number): void {
		if (panel.delivery !== 'pending' || (panel.status !== 'ready' && panel.status !== 'failed')) return;
		const reported = panel.workflowId ? this.completions.get(panel.workflowId) : undefined;
		if (panel.workflowId) this.completions.delete(panel.workflowId);
		const completedAt = reported ?? panel.completedAt?.getTime();
		if (completedAt === undefined) return;
		this.deliveryLatency.observe({ status: panel.status }, Math.max(0, at - completedAt) / 1000);
	}
}

export interface WatchOptions {
	readonly intervalMs: number;
	/** Whose size is shown as comic_data_dir_bytes. */
	readonly dataDir?: string;
	readonly now?: () => number;
}

export interface PanelWatch {
	/** Computes the values now (also what the timer does); resolves when they are set. */
	refresh(): Promise<void>;
	stop(): void;
}

/**
 * The bytes of every file under `root`, walked with asynchronous calls one entry at a time: slow for
 * a huge folder, but never a block of the event loop. Files vanishing meanwhile are skipped.
 */
export async function folderBytes(root: string): Promise<number> {
	let total = 0;
	const folders = [root];
	for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
		const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
		for (const entry of entries) {
			const path = join(folder, entry.name);
			if (entry.isDirectory()) folders.push(path);
			else if (entry.isFile())
				total += await stat(path).then(
					(info) => info.size,
					() => 0,
				);
		}
	}
	return total;
}

/** The two cheap queries behind the panel gauges. */
export interface PanelStats {
	countByState(): Promise<readonly { status: string; delivery: string; count: number }[]>;
	/** When the oldest panel that is due and not claimed became due. */
	oldestDue(now: Date): Promise<Date | undefined>;
}

export function panelStats(db: Db): PanelStats {
	return {
		async countByState() {
			const rows = await db.drawing.groupBy({ by: ['status', 'delivery'], _count: { _all: true } });
			return rows.map((row) => ({ status: row.status, delivery: row.delivery, count: row._count._all }));
		},
		async oldestDue(now) {
			// The job runner's own condition for "due and free", so lag means waiting for a runner, not work in progress.
			return drawingJobs(db).oldestDue(now);
		},
	};
}
