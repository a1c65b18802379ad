/**
 * When to read a running workflow again. A policy of its own so that it can be tuned or replaced
 * (callbacks make it a safety net) without touching the poller.
 *
 * Reading every workflow every 3 s costs about T/3 reads for a T-second generation. This policy
 * reads sparsely while the workflow waits and densely around the time the orchestrator says the
 * job should complete, so the picture arrives soon after completion with far fewer reads.
 */
export interface ScheduleInput {
	readonly now: number;
	readonly submittedAt: number;
	/** How many times the workflow has been read already. */
	readonly checks: number;
	/** The orchestrator's estimate of completion, when its job reports one. */
	readonly estimatedCompleteAt?: number | undefined;
}

export type CheckSchedule = (input: ScheduleInput) => number;

const LADDER_MS = [2_000, 3_000, 5_000, 5_000, 8_000, 10_000] as const;
const MAX_GAP_MS = 15_000;
const NEAR_COMPLETION_MS = 1_000;

/** Milliseconds from `now` to the next read. */
export const defaultSchedule: CheckSchedule = ({ now, checks, estimatedCompleteAt }) => {
	if (estimatedCompleteAt !== undefined && estimatedCompleteAt > now) {
		// Wake just before the estimate, then poll briskly until it lands.
		const untilEstimate = estimatedCompleteAt - now - NEAR_COMPLETION_MS / 2;
		return clamp(untilEstimate, NEAR_COMPLETION_MS, MAX_GAP_MS);
	}
	if (estimatedCompleteAt !== undefined) return NEAR_COMPLETION_MS;
	return LADDER_MS[Math.min(checks, LADDER_MS.length - 1)] ?? MAX_GAP_MS;
};

const CALLBACK_LADDER_MS = [15_000, 20_000, 30_000] as const;

/**
 * With orchestrator callbacks on, a callback makes the panel due the moment its workflow ends;
 * polling is only the safety net for a callback that never comes, so it reads every 15–30 s
 * whatever the estimate says.
 */
export const callbackSchedule: CheckSchedule = ({ checks }) => CALLBACK_LADDER_MS[Math.min(checks, CALLBACK_LADDER_MS.length - 1)] ?? 30_000;

/** The original plan's policy, kept as the benchmark's baseline: every workflow every interval. */
export function fixedSchedule(intervalMs: number): CheckSchedule {
	return () => intervalMs;
}

function clamp(value: number, min: number, max: number): number {
	return Math.min(max, Math.max(min, value));
}
