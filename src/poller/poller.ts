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
 * node-cron only wakes the poller; each tick claims what is due (within the free slots) and starts
 * it without waiting for earlier work, so one slow panel (a stalled download, a long rate limit)
 * never holds up the others. Panels in progress stay leased, so no tick claims them twice.
 */
export function startPoller(deps: PanelDeps, options: PollerOptions & { intervalSeconds: number }): Poller {
	const concurrency = options.concurrency ?? 16;
	const working = new Set<Promise<unknown>>();
	let claiming: Promise<void> | undefined;
	let stopped = false;

	const claimAndStart = async (): Promise<void> => {
		const limit = Math.min(options.batchSize ?? 100, concurrency - working.size);
		const { claim, ids } = await claimDue(deps, options.owner, limit);
		for (const id of ids) {
			const work = advanceClaimed(deps, id, claim).finally(() => working.delete(work));
			working.add(work);
		}
	};
	const tick = async (): Promise<void> => {
		if (stopped || claiming) return;
		claiming = claimAndStart()
			.catch((error: unknown) => deps.log.error({ err: error }, 'poll failed'))
			.finally(() => {
				claiming = undefined;
			});
		await claiming;
	};
	const task = cron.schedule(`*/${options.intervalSeconds} * * * * *`, tick, { noOverlap: true, name: 'panel-poller' });
	return {
		poke: tick,
		stop: async () => {
			stopped = true;
			await task.stop();
			await task.destroy();
			await claiming;
			await Promise.allSettled([...working]);
		},
	};
}
