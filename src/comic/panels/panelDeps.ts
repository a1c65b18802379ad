import type { Payer } from '../../accounts/orchestratorForUser.ts';
import type { Orchestrator } from '../../civitai/orchestrator.ts';
import type { Db, Panel } from '../../db/database.ts';
import type { ImageStore } from '../../images/imageStore.ts';
import type { PromptRewriter } from '../../llm/promptRewriter.ts';
import type { Log } from '../../log.ts';
import type { CheckSchedule } from '../../poller/schedule.ts';

/** A panel with what its message shows besides its own fields. */
export type PanelView = Panel & { project: { name: string }; character: { name: string; baseModel: string } | null };

export type DeliveryResult =
	| { readonly ok: true; readonly messageId: string | undefined; readonly tokenDead: boolean }
	| { readonly ok: false; readonly retryable: boolean; readonly reason: string; readonly tokenDead: boolean; readonly retryAfterMs?: number | undefined };

/** Shows a panel's current state in its Discord message. Implemented in src/discord/. */
export type PanelMessenger = (panel: PanelView) => Promise<DeliveryResult>;

export interface PanelDeps {
	readonly db: Db;
	readonly log: Log;
	readonly orchestrator: Orchestrator;
	readonly rewriter: PromptRewriter | undefined;
	readonly images: ImageStore;
	readonly schedule: CheckSchedule;
	readonly messenger: PanelMessenger;
	/** Where the orchestrator reports the end of a panel's workflow, when the bot is reachable from outside (PUBLIC_URL). */
	readonly callbackUrlFor?: ((panelId: string) => string) | undefined;
	readonly now?: () => number;
	/** How calls to the orchestrator are tried again; {@link DEFAULT_RETRY} when left out. */
	readonly retry?: RetryPolicy | undefined;
	/** How long a claim on a panel lasts unless renewed; {@link LEASE_MS} when left out. */
	readonly leaseMs?: number | undefined;
	// accounts: per-user key
	/** The orchestrator client (the owner's own key, else the bot's) and who pays; the bot's `orchestrator` when left out. */
	readonly payerFor?: ((ownerId: string) => Promise<Payer>) | undefined;
	/** Who pays for the panel a step works on: set from `payerFor` by advancePanel. */
	readonly paidBy?: Payer['paidBy'] | undefined;
}

/** Retries of passing orchestrator errors (429, 5xx, timeouts, network): backoff with jitter, bounded. */
export interface RetryPolicy {
	/** Tries in all, the first included; after the last the panel fails with a plain reason. */
	readonly attempts: number;
	/** The first wait; each further wait doubles, with jitter, up to `capMs`. Retry-After wins when longer. */
	readonly baseMs: number;
	readonly capMs: number;
}

export const DEFAULT_RETRY = { attempts: 6, baseMs: 1_000, capMs: 30_000 } as const satisfies RetryPolicy;

/** No result after this long and the workflow is canceled. */
export const PANEL_TIMEOUT_MS = 25 * 60 * 1000;
/** A claim on a panel lasts this long; a process that dies holding it frees it by running out. */
export const LEASE_MS = 60_000;

/** The lease of these deps: PANEL_LEASE_SECONDS in the bot, a few seconds in tests of restarts. */
export function leaseMsOf(deps: Pick<PanelDeps, 'leaseMs'>): number {
	return deps.leaseMs ?? LEASE_MS;
}
