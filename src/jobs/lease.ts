import type { JobTable } from './table.ts';

export interface HeldLease {
	/**
	 * Stops renewing, once a renewal under way has finished (so none outlives its holder, e.g. past
	 * the database's close). The lease itself is released by the outcome the runner stores.
	 */
	release(): Promise<void>;
}

export interface LeaseOptions {
	readonly leaseMs: number;
	readonly now: () => number;
	readonly onError: (error: unknown) => void;
}

/**
 * Keeps a lease alive while its holder works on the row. A lease is short so that another process
 * takes over within seconds of a crash; renewing it three times per lease means slow work (a stalled
 * download, a Discord call waiting out a rate limit) never lets it run out while its holder lives.
 */
export function holdLease(table: Pick<JobTable<unknown>, 'renew'>, id: string, owner: string, options: LeaseOptions): HeldLease {
	let renewing: Promise<unknown> = Promise.resolve();
	const timer = setInterval(
		() => {
			// One renewal at a time: a slow database must not pile them up.
			renewing = renewing.then(async () => {
				try {
					// Released by the last step, or taken over after this process stalled past the lease.
					if (!(await table.renew(id, owner, new Date(options.now() + options.leaseMs)))) clearInterval(timer);
				} catch (error) {
					options.onError(error);
				}
			});
		},
		Math.max(100, Math.floor(options.leaseMs / 3)),
	);
	// A renewal never keeps the process alive on its own.
	timer.unref();
	return {
		release: async () => {
			clearInterval(timer);
			await renewing;
		},
	};
}
