/**
 * Where a kind of work keeps its rows. Every row carries the same job columns (dueAt, errorCount,
 * leaseOwner, leaseUntil) next to its own; the job runner is the only writer of those four, through
 * this interface. src/db/ implements it for each table that holds work.
 */
export interface JobTable<Update, Row = never> {
	/** Ids of up to `limit` rows due at `now` whose lease is free, the longest due first. */
	due(now: Date, limit: number): Promise<string[]>;
	/**
	 * Like `due`, in the same one read, also telling when the earliest free row not yet due will be
	 * (the wake timer's next time, without a second read).
	 */
	dueAndNext?(now: Date, limit: number): Promise<{ ids: string[]; next: Date | undefined }>;
	/** Leases the rows among `ids` that are still due and free (one conditional update); returns those it got. */
	claim(ids: readonly string[], now: Date, owner: string, until: Date): Promise<string[]>;
	/**
	 * Like `claim`, in the same one conditional update, returning the rows it leased as that statement
	 * wrote them (a table that can: the runner then need not read them again).
	 */
	claimRows?(ids: readonly string[], now: Date, owner: string, until: Date): Promise<Row[]>;
	/** Extends a lease `owner` holds; false when it holds it no more. */
	renew(id: string, owner: string, until: Date): Promise<boolean>;
	/** Extends many leases in one statement (each row with its own owner); returns the ids still held. */
	renewMany?(held: readonly { readonly id: string; readonly owner: string }[], until: Date): Promise<Set<string>>;
	/** Stores a step's outcome in one conditional update: only while `owner` holds the lease. */
	store(id: string, owner: string, update: Update | undefined, job: JobFields): Promise<boolean>;
	/** Like `store`, in the same one conditional update, returning the row as stored; undefined: the lease was not held. */
	storeRow?(id: string, owner: string, update: Update | undefined, job: JobFields): Promise<Row | undefined>;
	/** When the earliest free row is due, if any. */
	earliestDue(now: Date): Promise<Date | undefined>;
	/** When the longest-waiting free due row became due (metrics: lag). */
	oldestDue(now: Date): Promise<Date | undefined>;
	/** The owners of leases that have not run out. */
	leaseOwners(now: Date): Promise<string[]>;
	/** Frees every lease whose owner starts with `prefix`; returns how many. */
	releaseOwnedBy(prefix: string): Promise<number>;
}

/** The job columns as the runner writes them with an outcome. */
export interface JobFields {
	readonly dueAt: Date | null;
	readonly errorCount: number | { readonly increment: 1 };
	/** Kept leased (the next step follows at once) until this moment, or released (null). */
	readonly leaseUntil: Date | null;
}

/** The job columns every row of a job table has, as read. */
export interface JobColumns {
	readonly id: string;
	readonly errorCount: number;
	readonly leaseOwner: string | null;
}
