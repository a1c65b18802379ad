import { type QueueLimits, sweepQueue } from './comic/panels/queue.ts';
import type { Db } from './db/database.ts';
import type { Log } from './log.ts';

/** How often waiting drawings of users with a free slot are looked for (the safety net of the queue). */
export const QUEUE_SWEEP_MS = 5_000;

/**
 * Promotes waiting drawings whose owner has a free slot, every few seconds: a process that died
 * between a drawing's end and the promotion it owed leaves nothing waiting forever. Usually it finds
 * nothing (promotion happens when a drawing ends or a panel is created).
 */
export function startQueueSweep(deps: { db: Db; log: Log; limits: QueueLimits; poke: () => Promise<void> }, everyMs = QUEUE_SWEEP_MS): { stop(): void } {
	let running = false;
	const timer = setInterval(() => {
		if (running) return;
		running = true;
		sweepQueue(deps.db, deps.limits)
			.then(async (started) => {
				if (started === 0) return;
				deps.log.info({ started }, 'queue sweep started waiting panels');
				await deps.poke();
			})
			.catch((error: unknown) => deps.log.warn({ err: error }, 'queue sweep failed'))
			.finally(() => {
				running = false;
			});
	}, everyMs);
	timer.unref();
	return { stop: () => clearInterval(timer) };
}
