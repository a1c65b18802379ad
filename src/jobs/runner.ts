import { randomBytes, randomUUID } from 'node:crypto';
import type { Log } from '../log.ts';
import type { AnyJobKind } from './kind.ts';
import { LeaseKeeper } from './lease.ts';
import { type Done, isRetry, type Outcome, planRetry } from './outcome.ts';
import { isDeadOwner, markAlive, markStopped } from './owner.ts';

/** Steps one run takes at most before it lets go of a row (a loop guard; a panel needs four). */
const MAX_STEPS_PER_RUN = 8;
/** How often a running runner looks for leases of dead processes of its host (one cheap query). */
const DEAD_CHECK_MS = 5_000;

export interface JobRunnerDeps {
	readonly log: Log;
	readonly kinds: readonly AnyJobKind[];
	/** This process's name in leases (src/jobs/owner.ts). */
	readonly owner: string;
	/** How long a lease lasts unless renewed. */
	readonly leaseMs: number;
	readonly now?: () => number;
}

export interface RunnerOptions {
	/** Rows claimed per wake. */
	readonly batchSize?: number;
	/** Rows worked on at once. */
	readonly concurrency?: number;
}

export interface PollReport {
	readonly claimed: number;
	readonly failed: number;
}

export interface JobRunner {
	readonly owner: string;
	/** A claim of this process for one row it creates already leased (a command that starts the work at once). */
	newClaim(label: string): { claim: string; until: Date };
	/**
	 * Takes the steps of a row the caller holds (`claim`) as far as they go now. Never throws. `first`:
	 * the row's subject as the caller has it, having just stored the row leased under `claim` until
	 * `until` (a command that creates its row): the first step takes it instead of reading the row, while
	 * at least half of that lease is left (no other process can have claimed the row); else it is read.
	 */
	run(kind: string, id: string, claim: string, first?: { readonly subject: unknown; readonly until: Date }): Promise<boolean>;
	/** One wake, start to finish: claim the due rows, then run each. For tests and one-off runs. */
	pollOnce(options?: RunnerOptions): Promise<PollReport>;
	/** Frees leases of processes of this host that are known dead; returns how many. */
	releaseDeadLeases(): Promise<number>;
	/** Wakes every interval (a plain unref'd timer, even for intervals that do not divide a minute) and whenever the next row is due. */
	start(intervalSeconds: number, options?: RunnerOptions): void;
	/** Looks for due work now, e.g. when a callback says a workflow finished. */
	poke(): Promise<void>;
	/** Stops claiming, and resolves once the rows being worked on are done. */
	stop(): Promise<void>;
}

/**
 * The durable job runner: the only code that claims, renews and releases leases and schedules rows.
 * Each claim is one conditional update that only free rows pass, so overlapping wakes and other
 * processes never get the same row; a step's outcome is stored only while its lease is held, so a
 * crash at any point leaves a row another process finishes.
 */
export function createJobRunner(deps: JobRunnerDeps): JobRunner {
	const now = deps.now ?? Date.now;
	const kinds = new Map(deps.kinds.map((kind) => [kind.name, kind]));
	const working = new Set<Promise<unknown>>();
	let stopped = false;
	let concurrency = 16;
	let batchSize = 100;
	let intervalMs = 3_000;
	let nextTickAt = now() + intervalMs;
	let wake: { at: number; timer: NodeJS.Timeout } | undefined;
	let ticker: NodeJS.Timeout | undefined;
	let ticking = false;
	/** The last claim took as many rows as there were free slots: more may be due, so a freed slot claims at once. */
	let backlog = false;
	/** Kinds whose claim of this tick also told the next due time (so the tick need not look for it again). */
	const nextKnown = new Set<string>();
	markAlive(deps.owner);
	const leases = new LeaseKeeper({ leaseMs: deps.leaseMs, now });

	/** Claims up to `limit` due rows; with a table and kind that can, the claim's own statement returns the rows and they are loaded together. */
	const claimDue = async (kind: AnyJobKind, limit: number): Promise<{ claim: string; ids: string[]; loaded: Map<string, unknown> }> => {
		const claim = `${deps.owner}/${randomUUID()}`;
		const loaded = new Map<string, unknown>();
		if (limit <= 0) return { claim, ids: [], loaded };
		const time = now();
		let due: string[];
		if (kind.table.dueAndNext) {
			const found = await kind.table.dueAndNext(new Date(time), limit);
			due = found.ids;
			// The wake timer is set from this same read (the tick then skips its own look).
			nextKnown.add(kind.name);
			if (found.next) wakeAt(found.next.getTime());
		} else due = await kind.table.due(new Date(time), limit);
		if (due.length === 0) return { claim, ids: [], loaded };
		const until = new Date(time + deps.leaseMs);
		if (!kind.table.claimRows || !kind.loadClaimed) return { claim, ids: await kind.table.claim(due, new Date(time), claim, until), loaded };
		const rows: { id: string }[] = await kind.table.claimRows(due, new Date(time), claim, until);
		const subjects = await kind.loadClaimed(rows).catch((error: unknown) => {
			// Each row is then read on its own by its first step.
			deps.log.warn({ err: error, job: kind.name }, 'could not load the claimed rows together');
			return new Map<string, unknown>();
		});
		return { claim, ids: rows.map((row) => row.id), loaded: subjects };
	};

	const runner: JobRunner = {
		owner: deps.owner,
		newClaim: (label) => ({ claim: `${deps.owner}/${label}`, until: new Date(now() + deps.leaseMs) }),
		run: (kindName, id, claim, first) =>
			runOne(kindName, id, claim, first && first.until.getTime() - now() >= deps.leaseMs / 2 ? first.subject : undefined).then((result) => {
				// The row's next look (a workflow to read, say) wakes this runner without asking the database.
				if (result.dueAt) wakeAt(result.dueAt.getTime());
				return result.ok;
			}),
		async pollOnce(options = {}) {
			let claimed = 0;
			let failed = 0;
			for (const kind of deps.kinds) {
				const { claim, ids, loaded } = await claimDue(kind, options.batchSize ?? batchSize);
				claimed += ids.length;
				await eachLimited(ids, options.concurrency ?? concurrency, async (id) => {
					if (!(await runOne(kind.name, id, claim, loaded.get(id))).ok) failed++;
				});
			}
			return { claimed, failed };
		},
		async releaseDeadLeases() {
			let released = 0;
			for (const kind of deps.kinds) {
				const owners = new Set((await kind.table.leaseOwners(new Date(now()))).map((claim) => claim.split('/')[0] ?? claim));
				for (const owner of owners) {
					if (owner === deps.owner || !isDeadOwner(owner)) continue;
					const count = await kind.table.releaseOwnedBy(`${owner}/`);
					if (count > 0) deps.log.info({ job: kind.name, owner, count }, 'took over the work of a process that died');
					released += count;
				}
			}
			return released;
		},
		start(intervalSeconds, options = {}) {
			concurrency = options.concurrency ?? concurrency;
			batchSize = options.batchSize ?? batchSize;
			intervalMs = intervalSeconds * 1000;
			nextTickAt = now() + intervalMs;
			// One tick at a time: a slow tick (a loaded database) skips the beats it overlaps instead of piling them up.
			ticker = setInterval(() => {
				nextTickAt = now() + intervalMs;
				if (ticking) return;
				ticking = true;
				void tick().finally(() => {
					ticking = false;
				});
			}, intervalMs);
			ticker.unref();
		},
		poke: () => tick(),
		async stop() {
			stopped = true;
			if (wake) clearTimeout(wake.timer);
			if (ticker) clearInterval(ticker);
			await claims.current();
			await Promise.allSettled([...working]);
			markStopped(deps.owner);
		},
	};

	/** Runs a row's steps under its lease (renewed with every other held one); `first` is its subject when the claim loaded it already. */
	async function runOne(kindName: string, id: string, claim: string, first: unknown): Promise<{ ok: boolean; dueAt: Date | null }> {
		const kind = kinds.get(kindName);
		if (!kind) throw new Error(`no job kind named ${kindName}`);
		const lease = leases.hold(kind.table, id, claim, (error, others) =>
			deps.log.warn({ err: error, job: kind.name, id, ...(others > 0 ? { others } : {}) }, 'could not renew a lease'),
		);
		try {
			return { ok: true, dueAt: await runSteps(kind, id, claim, first) };
		} catch (error) {
			deps.log.error({ err: error, job: kind.name, id }, 'a job could not be run');
			return { ok: false, dueAt: null };
		} finally {
			await lease.release();
		}
	}

	/**
	 * Takes a row's steps while it keeps its lease: each outcome is stored before the next step starts.
	 * Returns when the row is due next (null: not, or not known here).
	 */
	async function runSteps(kind: AnyJobKind, id: string, claim: string, first: unknown): Promise<Date | null> {
		let previous: unknown;
		// The row as the last outcome was stored (a table with `storeRow`): the next step need not read it again.
		let stored: unknown;
		for (let steps = 0; steps < MAX_STEPS_PER_RUN; steps++) {
			const subject = steps === 0 && first !== undefined ? first : await kind.load(id, claim, previous, stored);
			if (!subject) return null;
			previous = subject;
			const log = deps.log.child({ job: kind.name, ...kind.logContext(subject) });
			let outcome: Outcome<unknown>;
			try {
				outcome = await kind.step(subject, now());
			} catch (error) {
				// Unexpected: logged in full under a short reference, tried again within the bound like any other error.
				const reference = randomBytes(4).toString('hex');
				log.error({ err: error, reference }, 'a job step failed unexpectedly');
				outcome = kind.unexpected(subject, reference);
			}
			// Measured now, once the step's answers are in: a Retry-After counts from its answer, not from the step's start.
			const at = now();
			let done: Done<unknown>;
			let errorCount: number | { increment: 1 } = 0;
			if (isRetry(outcome)) {
				const planned = planRetry(outcome.retry, subject.errorCount, kind.retry, at);
				done = planned.outcome;
				if (planned.retried) errorCount = { increment: 1 };
			} else done = outcome;
			const keep = done.next === 'now';
			const dueAt = done.next === null ? null : new Date(done.next === 'now' ? at : done.next);
			const fields = { dueAt, errorCount, leaseUntil: keep ? new Date(at + deps.leaseMs) : null };
			stored = kind.table.storeRow
				? await kind.table.storeRow(id, claim, done.update, fields)
				: (await kind.table.store(id, claim, done.update, fields))
					? undefined
					: false;
			if (stored === false || (kind.table.storeRow && stored === undefined)) {
				log.warn('lost the lease on a job; another process owns it now, or the row is gone');
				await kind.lost?.(id, subject, done).catch((error: unknown) => log.warn({ err: error }, 'could not undo what a step whose outcome was lost started'));
				return null;
			}
			if (done.announce && kind.afterStore) await kind.afterStore(id, subject, done, stored);
			if (!keep) return dueAt;
		}
		return null;
	}

	/**
	 * A run ended: its slot is free. With a backlog the freed slot claims at once; otherwise the row's own
	 * next due time sets the wake timer, without asking the database (the tick's look finds the rest).
	 */
	const finished = (dueAt: Date | null): void => {
		if (backlog) {
			void claims.run().then(() => wakes.run());
			return;
		}
		if (dueAt) wakeAt(dueAt.getTime());
	};

	/** Claims what is due within the free slots and starts it; true when the batch was full (more may wait). */
	const claimAndStart = async (): Promise<boolean> => {
		let full = false;
		let more = false;
		for (const kind of deps.kinds) {
			if (stopped) return false;
			const limit = Math.min(batchSize, concurrency - working.size);
			const { claim, ids, loaded } = await claimDue(kind, limit);
			for (const id of ids) {
				const work: Promise<unknown> = runOne(kind.name, id, claim, loaded.get(id)).then((result) => {
					working.delete(work);
					finished(result.dueAt);
				});
				working.add(work);
			}
			if (ids.length > 0 && ids.length === limit && working.size < concurrency) full = true;
			// Every slot taken (or the batch full): rows may still be due that this claim could not take.
			if (limit <= 0 || (ids.length > 0 && ids.length === limit)) more = true;
		}
		backlog = more;
		return full;
	};

	/** Sets the wake timer for the earliest free row due before the next tick. */
	const setWake = async (): Promise<boolean> => {
		// With every slot busy there is nothing to claim; the next finished row asks again.
		if (stopped || working.size >= concurrency) return false;
		let at: number | undefined;
		for (const kind of deps.kinds) {
			const earliest = await kind.table.earliestDue(new Date(now())).catch((error: unknown) => {
				deps.log.warn({ err: error, job: kind.name }, 'could not read the next due job');
			});
			const time = earliest?.getTime();
			if (time !== undefined && (at === undefined || time < at)) at = time;
		}
		if (at !== undefined) wakeAt(at);
		return false;
	};

	/** Sets the wake timer for `at`, unless the next tick or an earlier wake comes first. */
	const wakeAt = (at: number): void => {
		// Only a started runner wakes itself (pollOnce is driven by its caller).
		if (!ticker || stopped || at >= nextTickAt - 50 || (wake && wake.at <= at)) return;
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
	};

	// A poke during a claim (a callback, a wake) must not be lost, and finished steps ask for the
	// wake timer often: both run one at a time, once more after the current run when asked meanwhile.
	const claims = coalesced(claimAndStart);
	const wakes = coalesced(setWake);
	let lastDeadCheck = 0;
	const tick = async (): Promise<void> => {
		if (stopped) return;
		// A live runner also takes over from a process of its own host that died, without waiting for its leases.
		if (now() - lastDeadCheck >= DEAD_CHECK_MS) {
			lastDeadCheck = now();
			await runner.releaseDeadLeases().catch((error: unknown) => deps.log.warn({ err: error }, 'could not look for leases of dead processes'));
			for (const kind of deps.kinds) {
				if (!kind.maintain) continue;
				const made = await kind.maintain(now()).catch((error: unknown) => {
					deps.log.warn({ err: error, job: kind.name }, 'periodic upkeep failed');
					return 0;
				});
				if (made > 0) deps.log.info({ job: kind.name, made }, 'periodic upkeep made jobs due');
			}
		}
		nextKnown.clear();
		await claims.run().catch((error: unknown) => deps.log.error({ err: error }, 'claiming due jobs failed'));
		if (deps.kinds.some((kind) => !nextKnown.has(kind.name))) await wakes.run();
	};
	return runner;
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
