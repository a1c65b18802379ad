import { randomUUID } from 'node:crypto';
import cron from 'node-cron';
import { advancePanel } from '../comic/panels/advancePanel.ts';
import { LEASE_MS, type PanelDeps } from '../comic/panels/panelDeps.ts';

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
 * One poll: claim the panels that are due and not leased, in one conditional update that only
 * free rows pass, then move each on. Overlapping ticks and other processes never get the same row.
 */
export async function pollOnce(deps: PanelDeps, options: PollerOptions): Promise<PollReport> {
	const now = (deps.now ?? Date.now)();
	const due = await deps.db.panel.findMany({
		where: { nextCheckAt: { lte: new Date(now) }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: new Date(now) } }] },
		orderBy: { nextCheckAt: 'asc' },
		take: options.batchSize ?? 100,
		select: { id: true },
	});
	if (due.length === 0) return { claimed: 0, failed: 0 };

	const claim = `${options.owner}/${randomUUID()}`;
	await deps.db.panel.updateMany({
		where: { id: { in: due.map((panel) => panel.id) }, nextCheckAt: { lte: new Date(now) }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: new Date(now) } }] },
		data: { leaseOwner: claim, leaseUntil: new Date(now + LEASE_MS) },
	});
	const claimed = await deps.db.panel.findMany({ where: { leaseOwner: claim }, select: { id: true } });

	let failed = 0;
	await eachLimited(claimed, options.concurrency ?? 16, async ({ id }) => {
		try {
			await advancePanel(deps, id, claim);
		} catch (error) {
			failed++;
			deps.log.error({ err: error, panelId: id }, 'poller could not advance a panel');
		}
	});
	return { claimed: claimed.length, failed };
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
	stop(): Promise<void>;
}

/** node-cron only wakes the poller; the work is {@link pollOnce}. */
export function startPoller(deps: PanelDeps, options: PollerOptions & { intervalSeconds: number }): Poller {
	let running: Promise<unknown> = Promise.resolve();
	let busy = false;
	const tick = async () => {
		if (busy) return;
		busy = true;
		const run = pollOnce(deps, options)
			.catch((error: unknown) => deps.log.error({ err: error }, 'poll failed'))
			.finally(() => {
				busy = false;
			});
		running = run;
		await run;
	};
	const task = cron.schedule(`*/${options.intervalSeconds} * * * * *`, tick, { noOverlap: true, name: 'panel-poller' });
	return {
		poke: tick,
		stop: async () => {
			await task.stop();
			await task.destroy();
			await running;
		},
	};
}
