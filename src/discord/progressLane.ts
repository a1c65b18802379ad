import type { DeliveryResult, PanelMessenger } from '../comic/generation/deps.ts';

export interface ProgressLaneOptions {
	/** Progress edits on their way to Discord at once; one more is dropped. */
	readonly maxInFlight: number;
	readonly now?: () => number;
}

export interface ProgressLane {
	readonly messenger: PanelMessenger;
	/** Discord asked to slow down (a 429): progress edits are dropped until then (epoch ms). */
	pauseUntil(at: number): void;
	readonly dropped: () => number;
}

const DROPPED: DeliveryResult = { ok: false, retryable: false, reason: 'progress edit dropped: Discord is busy', tokenDead: false };

/**
 * Progress edits take a lane of their own in front of the panel messenger, so that with hundreds of
 * panels in flight they never crowd out final deliveries: only a few are on their way at once, and
 * while Discord rate-limits the bot none are sent. A dropped edit is not queued; the next change of
 * progress (or the final state) shows the panel again.
 */
export function createProgressLane(inner: PanelMessenger, options: ProgressLaneOptions): ProgressLane {
	const now = options.now ?? Date.now;
	let inFlight = 0;
	let pausedUntil = 0;
	let dropped = 0;
	const messenger: PanelMessenger = async (panel) => {
		if (inFlight >= options.maxInFlight || now() < pausedUntil) {
			dropped++;
			return DROPPED;
		}
		inFlight++;
		try {
			const result = await inner(panel);
			if (!result.ok && result.retryAt !== undefined) pausedUntil = Math.max(pausedUntil, result.retryAt);
			return result;
		} finally {
			inFlight--;
		}
	};
	return {
		messenger,
		pauseUntil(at) {
			pausedUntil = Math.max(pausedUntil, at);
		},
		dropped: () => dropped,
	};
}
