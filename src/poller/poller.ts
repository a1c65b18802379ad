import { randomUUID } from 'node:crypto';
import cron from 'node-cron';
import { advancePanel } from '../comic/panels/advancePanel.ts';
import { leaseMsOf, type PanelDeps } from '../comic/panels/panelDeps.ts';

export interface PollReport {
	readonly claimed: number;
	readonly failed: number;
}

export interface PollerOptions {
	/** Identifies this process in panel leases. */
	readonly owner: string;
	/** Panels claimed per tick. */
	readonly batchSize?: number;
	/** Panels worked on at once. */
	readonly concurrency?: number;
}

/**
 * Claims up to `limit` panels that are due and not leased, in one conditional update that only
 * free rows pass: overlapping ticks and other processes on the same database never get the same
 * row, and a row whose lease ran out (its holder died) is free again.
 */
export async function claimDue(deps: PanelDeps, owner: string, limit: number): Promise<{ claim: string; ids: string[] }> {
	const now = (deps.now ?? Date.now)();
	const claim = `${owner}/${randomUUID()}`;
	if (limit <= 0) return { claim, ids: [] };
	const free = { nextCheckAt: { lte: new Date(now) }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: new Date(now) } }] };
	const due = await deps.db.panel.findMany({ where: free, orderBy: { nextCheckAt: 'asc' }, take: limit, select: { id: true } });
	if (due.length === 0) return { claim, ids: [] };
	await deps.db.panel.updateMany({
		where: { id: { in: due.map((panel) => panel.id) }, ...free },
		data: { leaseOwner: claim, leaseUntil: new Date(now + leaseMsOf(deps)) },
	});
	const claimed = await deps.db.panel.findMany({ where: { leaseOwner: claim }, select: { id: true } });
	return { claim, ids: claimed.map((panel) => panel.id) };
}

/** Moves one claimed panel on; an error is logged and counted, never thrown, so it cannot stop the others. */
async function advanceClaimed(deps: PanelDeps, id: string, claim: string): Promise<boolean> {
	try {
		await advancePanel(deps, id, claim);
		return true;
	} catch (error) {
		deps.log.error({ err: error, panelId: id }, 'poller could not advance a panel');
		return false;
	}
}

/** One poll, start to finish: claim the due panels, then move each on. For tests and one-off runs. */
export async function pollOnce(deps: PanelDeps, options: PollerOptions): Promise<PollReport> {
	const { claim, ids } = await claimDue(deps, options.owner, options.batchSize ?? 100);
	let failed = 0;
	await eachLimited(ids, options.concurrency ?? 16, async (id) => {
		if (!(await advanceClaimed(deps, id, claim))) failed++;
	});
	return { claimed: ids.length, failed };
}

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
		while (next < items.length) {
			const item = items[next++];
			if (item !== undefined) await work(item);
		}
	});
	await Promise.allSettled(workers);
}

export interface Poller {
	/** Runs a poll now (besides the schedule), e.g. when a callback says a workflow finished. */
	poke(): Promise<void>;
	/** Stops claiming, and resolves once the panels being worked on are done. */
	stop(): Promise<void>;
}

/**
 * node-cron wakes the poller every interval; besides, the poller sets a timer for the earliest
 * panel due before the next tick, so a panel due in 700 ms is looked at in 700 ms, not at the next
 * tick. Each wake claims what is due (within the free slots) and starts it without waiting for
 * earlier work, so one slow panel (a stalled download, a long rate limit) never holds up the
 * others. Panels in progress stay leased, so no wake claims them twice.
 */
export function startPoller(deps: PanelDeps, options: PollerOptions & { intervalSeconds: number }): Poller {
	const now = deps.now ?? Date.now;
	const concurrency = options.concurrency ?? 16;
	const working = new Set<Promise<unknown>>();
	let stopped = false;
	let nextTickAt = now() + options.intervalSeconds * 1000;
	let wake: { at: number; timer: NodeJS.Timeout } | undefined;

	/** Claims what is due within the free slots and starts it; true when the batch was full (more may wait). */
	const claimAndStart = async (): Promise<boolean> => {
		if (stopped) return false;
		const limit = Math.min(options.batchSize ?? 100, concurrency - working.size);
		const { claim, ids } = await claimDue(deps, options.owner, limit);
		for (const id of ids) {
			const work = advanceClaimed(deps, id, claim).finally(() => {
				working.delete(work);
				void wakes.run();
			});
			working.add(work);
		}
		return ids.length > 0 && ids.length === limit && working.size < concurrency;
	};

	/** Sets the wake timer for the earliest free panel due before the next tick. */
	const setWake = async (): Promise<boolean> => {
		// With every slot busy there is nothing to claim; the next finished panel asks again.
		if (stopped || working.size >= concurrency) return false;
		const time = new Date(now());
		const earliest = await deps.db.panel
			.findFirst({
				where: { nextCheckAt: { not: null }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: time } }] },
				orderBy: { nextCheckAt: 'asc' },
				select: { nextCheckAt: true },
			})
			.catch((error: unknown) => deps.log.warn({ err: error }, 'could not read the next due panel'));
		const at = earliest?.nextCheckAt?.getTime();
		if (at === undefined || stopped || at >= nextTickAt - 50 || (wake && wake.at <= at)) return false;
		if (wake) clearTimeout(wake.timer);
		// Never sooner than 20 ms: a row another process is about to claim must not spin this one.
		const timer = setTimeout(
			() => {
				wake = undefined;
				void tick();
			},
			Math.max(20, at - now()),
		);
		timer.unref();
		wake = { at, timer };
		return false;
	};

	// A poke during a claim (a callback, a wake) must not be lost, and finished steps ask for the
	// wake timer often: both run one at a time, once more after the current run when asked meanwhile.
	const claims = coalesced(claimAndStart);
	const wakes = coalesced(setWake);
	const tick = async (): Promise<void> => {
		if (stopped) return;
		await claims.run().catch((error: unknown) => deps.log.error({ err: error }, 'poll failed'));
		await wakes.run();
	};
	const task = cron.schedule(
		`*/${options.intervalSeconds} * * * * *`,
		() => {
			nextTickAt = now() + options.intervalSeconds * 1000;
			return tick();
		},
		{ noOverlap: true, name: 'panel-poller' },
	);
	return {
		poke: tick,
		stop: async () => {
			stopped = true;
			if (wake) clearTimeout(wake.timer);
			await task.stop();
			await task.destroy();
			await claims.current();
			await Promise.allSettled([...working]);
		},
	};
}

/**
 * Wraps `work` so that runs never overlap: a call during a run makes it run once more when the
 * current run ends (the caller waits for that), and `work` returning true asks for another run.
 */
function coalesced(work: () => Promise<boolean>): { run(): Promise<void>; current(): Promise<void> | undefined } {
	let running: Promise<void> | undefined;
	let again = false;
	return {
		run() {
			if (running) {
				again = true;
				return running;
			}
			running = (async () => {
				do {
					again = false;
					if (await work()) again = true;
				} while (again);
			})().finally(() => {
				running = undefined;
			});
			return running;
		},
		current: () => running,
	};
}
