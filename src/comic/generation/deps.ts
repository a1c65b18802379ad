import type { Payer } from '../../accounts/orchestratorForUser.ts';
import type { Limits } from '../../accounts/settings.ts';
import type { PaidBy } from '../../accounts/spend.ts';
import type { Orchestrator } from '../../civitai/orchestrator.ts';
import type { Db, Drawing } from '../../db/database.ts';
import type { ImageStore } from '../../images/imageStore.ts';
import type { PromptRewriter } from '../../llm/promptRewriter.ts';
import type { Log } from '../../log.ts';
import type { RenderSlots } from '../export/renderSlots.ts';
import type { QueueLimits } from '../drawings/queue.ts';
import type { DrawingSubject } from './drawingSubject.ts';
import type { CheckSchedule } from './schedule.ts';

/** One picture of a drawing as its message shows it. */
export interface Picture {
	readonly index: number;
	readonly imagePath: string;
	readonly imageMime: string;
	/** The panel's picture (exactly one take of a panel is). */
	readonly chosen: boolean;
}

/** A drawing with what its message shows besides its own fields. */
export type DrawingView = Omit<Drawing, 'prompt'> & {
	readonly number: number;
	/** The prompt as typed for this drawing. */
	readonly prompt: string;
	readonly project: { readonly name: string };
	readonly character: { readonly name: string; readonly baseModel: string } | null;
	/** Drawings of the owner waiting ahead of this one (shown while it waits). */
	readonly ahead?: number | undefined;
	/** The drawing's takes once kept, in order. */
	readonly pictures: readonly Picture[];
	/** Buzz spent on the panel over all its drawings, once known. */
	readonly panelCost: number | null;
};

export type DeliveryResult =
	| { readonly ok: true; readonly messageId: string | undefined; readonly tokenDead: boolean }
	| {
			readonly ok: false;
			readonly retryable: boolean;
			readonly reason: string;
			readonly tokenDead: boolean;
			/** Epoch ms before which Discord asked not to be called again, measured when its answer arrived. */
			readonly retryAt?: number | undefined;
	  };

/** Shows a story's progress and finished panels in its one public message. Implemented in src/discord/. */
export type StoryMessenger = (storyId: string) => Promise<DeliveryResult>;

/** Shows a drawing's current state in its Discord message. Implemented in src/discord/. */
export type PanelMessenger = (drawing: DrawingView) => Promise<DeliveryResult>;

/** What the steps of a drawing need: built once in the composition root. */
export interface GenerationDeps {
	readonly db: Db;
	readonly log: Log;
	/**
	 * The bot's own client (CIVITAI_API_TOKEN). A step never uses it for a drawing's workflow: the
	 * drawing job passes each step its drawing's payer (../takes/payer.ts) as an argument.
	 */
	readonly botOrchestrator: Orchestrator;
	readonly rewriter: PromptRewriter | undefined;
	readonly images: ImageStore;
	readonly schedule: CheckSchedule;
	readonly messenger: PanelMessenger;
	/**
	 * Shows progress while a drawing waits or is drawn; gives up rather than wait (a busy Discord drops
	 * progress, never a final state). Undefined: no progress edits beyond the one after submission.
	 */
	readonly progressMessenger?: PanelMessenger | undefined;
	/** Where the orchestrator reports the end of a drawing's workflow, when the bot is reachable from outside (PUBLIC_URL). */
	readonly callbackUrlFor?: ((drawingId: string) => string) | undefined;
	readonly now?: () => number;
	/**
	 * The environment's limits (MAX_BUZZ_PER_*, with the server's budgets): a whatif that raises a
	 * drawing's estimate is checked against the Buzz budgets again before anything is submitted.
	 * Undefined: the estimate is still written into the ledger, with no second check.
	 */
	readonly limits?: Limits | undefined;
	/** The per-user queue: when a drawing ends, its owner's next waiting drawing starts (src/comic/drawings/queue.ts). */
	readonly queue?: QueueLimits | undefined;
	/** Story plans older than this are removed by the periodic upkeep (STORY_PLAN_TTL_MINUTES). */
	readonly storyPlanTtlMs?: number | undefined;
	/** Where the panels of a story are shown (instead of a message per panel). */
	readonly storyMessenger?: StoryMessenger | undefined;
	// accounts: per-user key
	/** The client for a drawing's payer (its `paidBy`, fixed at creation): the owner's key or the bot's. The bot's `botOrchestrator` when left out. */
	readonly payerFor?: ((ownerId: string, paidBy: PaidBy) => Promise<Payer>) | undefined;
	/** Asks a drawing's owner privately whether to draw it (about `estimate` Buzz, above `threshold`): Draw / Cancel. Implemented in src/discord/. */
	readonly askConfirmation?: ((drawing: DrawingSubject, estimate: number, threshold: number) => Promise<void>) | undefined;
	/** The process-wide bound on renders and exports (MAX_CONCURRENT_RENDERS); unbounded when left out. */
	readonly renders?: RenderSlots | undefined;
	/** A user's word changes come at most this often (RERENDER_COOLDOWN_SECONDS); 0 or left out: no wait. */
	readonly rerenderCooldownMs?: number | undefined;
}

/** No result after this long and the workflow is canceled. */
export const PANEL_TIMEOUT_MS = 25 * 60 * 1000;
