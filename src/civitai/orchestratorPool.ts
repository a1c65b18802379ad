import { createHash } from 'node:crypto';
import type { Orchestrator } from './orchestrator.ts';

/**
 * Orchestrator clients for other people's keys (users who linked their own Civitai key), one per key,
 * the least recently used dropped beyond `max`. Entries are found by a hash of the key, so the key
 * itself is kept only inside its client and never becomes a map key, a log field or a metric label.
 */
export class OrchestratorPool {
	private readonly clients = new Map<string, Orchestrator>();

	public constructor(
		private readonly create: (token: string) => Orchestrator,
		private readonly max = 200,
	) {}

	public for(token: string): Orchestrator {
		const id = tokenId(token);
		const found = this.clients.get(id);
		if (found) {
			// Moved to the end: a Map iterates in insertion order, so the first entry is the least recently used.
			this.clients.delete(id);
			this.clients.set(id, found);
			return found;
		}
		const client = this.create(token);
		this.clients.set(id, client);
		for (const oldest of this.clients.keys()) {
			if (this.clients.size <= this.max) break;
			this.clients.delete(oldest);
		}
		return client;
	}

	public get size(): number {
		return this.clients.size;
	}
}

/** A stable, non-reversible name for a token (for lookups, never for display). */
export function tokenId(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}
