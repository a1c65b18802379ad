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
 * One row on its own; the runner holds all of its rows with one `LeaseKeeper`.
 */
export function holdLease(table: Pick<JobTable<unknown, unknown>, 'renew' | 'renewMany'>, id: string, owner: string, options: LeaseOptions): HeldLease {
	return new LeaseKeeper(options).hold(table, id, owner, (error) => options.onError(error));
}

interface Held {
	readonly table: Pick<JobTable<unknown, unknown>, 'renew' | 'renewMany'>;
	readonly id: string;
	readonly owner: string;
	/** Told when renewing this row failed; `others`: how many rows of the same statement failed with it. */
	readonly onError: (error: unknown, others: number) => void;
}

/**
 * Keeps the leases of every row this process works on alive with one timer and, for a table that can
 * (`renewMany`), one statement per beat for all of them instead of one per row: 200 panels in flight
 * renew in one statement every third of a lease. Same rule as `holdLease`: a row whose lease is no longer
 * held is renewed no more, and a released hold waits for a renewal under way.
 */
export class LeaseKeeper {
	private readonly held = new Map<string, Held>();
	private timer: NodeJS.Timeout | undefined;
	private renewing: Promise<void> = Promise.resolve();

	public constructor(private readonly options: Omit<LeaseOptions, 'onError'>) {}

	public hold(table: Held['table'], id: string, owner: string, onError: Held['onError']): HeldLease {
		const key = `${owner}\u0000${id}`;
		const entry: Held = { table, id, owner, onError };
		this.held.set(key, entry);
		this.timer ??= this.startTimer();
		return {
			release: async () => {
				if (this.held.get(key) === entry) this.held.delete(key);
				if (this.held.size === 0 && this.timer) {
					clearInterval(this.timer);
					this.timer = undefined;
				}
				await this.renewing;
			},
		};
	}

	private startTimer(): NodeJS.Timeout {
		const timer = setInterval(
			() => {
				// One renewal at a time: a slow database must not pile them up.
				this.renewing = this.renewing.then(() => this.renewAll());
			},
			Math.max(100, Math.floor(this.options.leaseMs / 3)),
		);
		// A renewal never keeps the process alive on its own.
		timer.unref();
		return timer;
	}

	private async renewAll(): Promise<void> {
		const until = new Date(this.options.now() + this.options.leaseMs);
		const byTable = new Map<Held['table'], [string, Held][]>();
		for (const entry of this.held) {
			const list = byTable.get(entry[1].table);
			if (list) list.push(entry);
			else byTable.set(entry[1].table, [entry]);
		}
		for (const [table, entries] of byTable) {
			if (table.renewMany) {
				try {
					const kept = await table.renewMany(
						entries.map(([, held]) => ({ id: held.id, owner: held.owner })),
						until,
					);
					// Released by the last step, or taken over after this process stalled past the lease.
					for (const [key, held] of entries) if (!kept.has(held.id)) this.drop(key, held);
				} catch (error) {
					// One line for the statement, not one per row.
					entries[0]?.[1].onError(error, entries.length - 1);
				}
				continue;
			}
			for (const [key, held] of entries) {
				try {
					if (!(await table.renew(held.id, held.owner, until))) this.drop(key, held);
				} catch (error) {
					held.onError(error, 0);
				}
			}
		}
	}

	private drop(key: string, held: Held): void {
		if (this.held.get(key) === held) this.held.delete(key);
	}
}
