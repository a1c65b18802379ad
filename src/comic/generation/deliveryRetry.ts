import type { RetryPolicy } from '../../jobs/outcome.ts';

/** Discord's passing faults (429, 5xx, network) are tried this often, whatever ORCHESTRATOR_RETRY_* says. */
export const DEFAULT_DELIVERY_RETRY = { attempts: 6, baseMs: 1_000, capMs: 30_000 } as const satisfies RetryPolicy;
