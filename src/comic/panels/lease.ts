import { leaseMsOf, type PanelDeps } from './panelDeps.ts';

export interface HeldLease {
	/**
	 * Stops renewing, once a renewal under way has finished (so none outlives its holder, e.g. past
	 * the database's close). The claim itself is released by the step that stores the panel's outcome.
	 */
	release(): Promise<void>;
}

/**
 * Keeps a claim on a panel alive while its holder works on it. A lease is short so that another
 * process takes over soon after a crash; renewing it a few times per lease means slow work (a
 * stalled download, a Discord call waiting out a rate limit) never lets it run out while its
 * holder is alive. A process that dies stops renewing, and its claims run out on their own.
 */
export function holdLease(deps: Pick<PanelDeps, 'db' | 'log' | 'leaseMs' | 'now'>, panelId: string, owner: string): HeldLease {
	const leaseMs = leaseMsOf(deps);
	const now = deps.now ?? Date.now;
	let renewing: Promise<unknown> = Promise.resolve();
	const timer = setInterval(
		() => {
			// One renewal at a time: a slow database must not pile them up.
			renewing = renewing.then(async () => {
				try {
					const { count } = await deps.db.panel.updateMany({ where: { id: panelId, leaseOwner: owner }, data: { leaseUntil: new Date(now() + leaseMs) } });
					// Released by the holder's last step, or taken over after this process stalled past the lease.
					if (count === 0) clearInterval(timer);
				} catch (error) {
					deps.log.warn({ err: error, panelId }, 'could not renew the claim on a panel');
				}
			});
		},
		Math.max(100, Math.floor(leaseMs / 3)),
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
