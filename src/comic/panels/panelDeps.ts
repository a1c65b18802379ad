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
	/** Orchestrator callbacks go here when the bot is reachable from outside. */
	readonly callbackUrl?: string | undefined;
	readonly now?: () => number;
}

/** How many times a passing error (429, 5xx, timeout, network) is tried again before the panel fails. */
export const MAX_ATTEMPTS = 6;
/** No result after this long and the workflow is canceled. */
export const PANEL_TIMEOUT_MS = 25 * 60 * 1000;
/** A claim on a panel lasts this long; a process that dies holding it frees it by running out. */
export const LEASE_MS = 60_000;
