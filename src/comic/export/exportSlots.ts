/**
 * One export per user at a time, kept in this process. An export lives only as long as its interaction
 * (it answers through the interaction's 15-minute token and stores nothing), so a crash ends the export
 * and its slot together: nothing durable would be left to clean up. With several processes (HTTP
 * interactions behind a load balancer) a user could run one export per process; the bound that matters,
 * the memory and CPU of each process, still holds.
 */
export class ExportSlots {
	private readonly running = new Set<string>();

	/** A release function when the user had no export running, else undefined. */
	public take(userId: string): (() => void) | undefined {
		if (this.running.has(userId)) return undefined;
		this.running.add(userId);
		return () => this.running.delete(userId);
	}
}
