import type { Done, Outcome, Retry, RetryPolicy } from './outcome.ts';
import type { JobColumns, JobTable } from './table.ts';

/** One kind of durable work: where its rows live and how one step of it is taken. */
export interface JobKind<Subject extends JobColumns, Update, Row = never> {
	readonly name: string;
	readonly table: JobTable<Update, Row>;
	/** How passing failures of its steps are tried again, unless an outcome names its own. */
	readonly retry: RetryPolicy;
	/**
	 * Reads the row while `claim` holds it (undefined once it does not). `previous` is what the
	 * run's previous step read, for what cannot have changed since (a panel's project, say). `stored` is
	 * the row as the previous step's outcome was stored (by `storeRow`, under the lease): nothing to read again.
	 */
	load(id: string, claim: string, previous: Subject | undefined, stored?: Row): Promise<Subject | undefined>;
	/**
	 * The subjects of rows a claim just leased and returned (`claimRows`), all read at once: what
	 * they need beyond the row, in a few statements for the whole batch. A row left out is loaded by `load`.
	 */
	loadClaimed?(rows: readonly Row[]): Promise<Map<string, Subject>>;
	step(subject: Subject, now: number): Promise<Outcome<Update>>;
	/** What to store after an error no step planned for; the runner has logged it under `reference`. */
	unexpected(subject: Subject, reference: string): Retry<Update>;
	/** Runs after an outcome that asked for it (`announce`) is stored; `stored` is the row as stored, when the table returns it. */
	afterStore?(id: string, subject: Subject, outcome: Done<Update>, stored?: Row): Promise<void>;
	/**
	 * Runs when a step's outcome could not be stored: the lease was lost, or the row is gone (deleted
	 * while the step ran). What the step started outside (a submitted workflow, say) may need undoing.
	 */
	lost?(id: string, subject: Subject, outcome: Done<Update>): Promise<void>;
	/**
	 * Periodic upkeep of the kind's rows, run by the runner's tick with its look for dead leases (every
	 * few seconds): makes due rows that wait on something else (a user's queue, say). Returns how many.
	 */
	maintain?(now: number): Promise<number>;
	/** Fields for the log lines of this row. */
	logContext(subject: Subject): Record<string, unknown>;
}

/** A kind with its types forgotten, so kinds of different rows sit in one list. */
// biome-ignore lint/suspicious/noExplicitAny: the runner never looks inside a subject or an update.
export type AnyJobKind = JobKind<any, any, any>;
