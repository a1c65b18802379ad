import type { Db } from './database.ts';

export interface InboxArrival {
	readonly interactionId: string;
	readonly applicationId: string;
	readonly token: string;
	readonly command: string;
	readonly owner: string;
}

export interface InboxLeftover extends InboxArrival {
	readonly receivedAt: Date;
}

interface Waiting {
	readonly arrival: InboxArrival;
	readonly resolve: () => void;
	readonly reject: (error: unknown) => void;
}

/** Removals wait this long for others, so a burst finishing together is one statement. */
const REMOVE_BATCH_MS = 50;

/**
 * The inbox of interactions taken in (docs/decisions/022-inbox.md). `accept` resolves once the row is
 * stored, and the caller acknowledges only after that. Writes are group-committed: while one insert
 * runs, every arrival meanwhile waits for the next, so a burst of 200 costs a handful of statements and
 * a quiet bot one statement of about a millisecond per interaction. Removal is best effort: a row left
 * behind is settled by looking at the interaction's message (src/discord/inbox.ts).
 */
export class Inbox {
	private queued: Waiting[] = [];
	private writing: Promise<void> | undefined;
	private removals = new Set<string>();
	private removalTimer: NodeJS.Timeout | undefined;
	private removing: Promise<void> = Promise.resolve();

	public constructor(private readonly db: Db) {}

	/** Stores the arrival; resolves when it is durable. */
	public accept(arrival: InboxArrival): Promise<void> {
		return new Promise((resolve, reject) => {
			this.queued.push({ arrival, resolve, reject });
			this.writing ??= this.writeQueued();
		});
	}

	/** The interaction's handling ended: its row may go (batched, never awaited by a user's path). */
	public finish(interactionId: string): void {
		this.removals.add(interactionId);
		if (this.removalTimer) return;
		this.removalTimer = setTimeout(() => {
			this.removalTimer = undefined;
			this.removing = this.removing.then(() => this.removeQueued());
		}, REMOVE_BATCH_MS);
		this.removalTimer.unref();
	}

	/** Rows not taken in by `owner`, oldest first. */
	public leftovers(owner: string, limit: number): Promise<InboxLeftover[]> {
		return this.db.inboxEntry.findMany({ where: { owner: { not: owner } }, orderBy: { receivedAt: 'asc' }, take: limit });
	}

	public async remove(interactionIds: readonly string[]): Promise<void> {
		if (interactionIds.length > 0) await this.db.inboxEntry.deleteMany({ where: { interactionId: { in: [...interactionIds] } } });
	}

	/** Writes what is still queued (a clean stop). */
	public async flush(): Promise<void> {
		await this.writing;
		if (this.removalTimer) {
			clearTimeout(this.removalTimer);
			this.removalTimer = undefined;
			this.removing = this.removing.then(() => this.removeQueued());
		}
		await this.removing;
	}

	private async writeQueued(): Promise<void> {
		while (this.queued.length > 0) {
			const batch = this.queued;
			this.queued = [];
			try {
				await this.db.inboxEntry.createMany({ data: batch.map((waiting) => waiting.arrival) });
				for (const waiting of batch) waiting.resolve();
			} catch (error) {
				// A duplicate in the batch (an interaction delivered twice) must not fail the others: one by one.
				await Promise.all(
					batch.map((waiting) =>
						this.db.inboxEntry.upsert({ where: { interactionId: waiting.arrival.interactionId }, create: waiting.arrival, update: {} }).then(
							() => waiting.resolve(),
							() => waiting.reject(error),
						),
					),
				);
			}
		}
		this.writing = undefined;
	}

	private async removeQueued(): Promise<void> {
		const ids = [...this.removals];
		this.removals = new Set();
		// Lost removals are harmless (the sweep settles the rows); a failure is not worth a retry.
		await this.remove(ids).catch(() => undefined);
	}
}
