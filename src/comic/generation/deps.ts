import type { Orchestrator } from '../../civitai/orchestrator.ts';
import type { Db, Drawing } from '../../db/database.ts';
import type { ImageStore } from '../../images/imageStore.ts';
import type { PromptRewriter } from '../../llm/promptRewriter.ts';
import type { Log } from '../../log.ts';
import type { QueueLimits } from '../panels/queue.ts';
import type { CheckSchedule } from './schedule.ts';

/** A drawing with what its message shows besides its own fields. */
export type PanelView = Drawing & {
	readonly number: number;
	readonly prompt: string;
	readonly project: { readonly name: string };
	readonly character: { readonly name: string; readonly baseModel: string } | null;
	/** Drawings of the owner waiting ahead of this one (shown while it waits). */
	readonly ahead?: number | undefined;
	/** The drawing's first take, once it is kept. */
	readonly picture: { readonly imagePath: string; readonly imageMime: string } | null;
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
export type PanelMessenger = (panel: PanelView) => Promise<DeliveryResult>;

/** What the steps of a drawing need: built once in the composition root. */
export interface GenerationDeps {
	readonly db: Db;
	readonly log: Log;
	readonly orchestrator: Orchestrator;
	readonly rewriter: PromptRewriter | undefined;
	readonly images: ImageStore;
	readonly schedule: CheckSchedule;
	readonly messenger: PanelMessenger;
	/** Where the orchestrator reports the end of a drawing's workflow, when the bot is reachable from outside (PUBLIC_URL). */
	readonly callbackUrlFor?: ((drawingId: string) => string) | undefined;
	readonly now?: () => number;
	/** The per-user queue: when a drawing ends, its owner's next waiting drawing starts (src/comic/panels/queue.ts). */
	readonly queue?: QueueLimits | undefined;
	/** Where the panels of a story are shown (instead of a message per panel). */
	readonly storyMessenger?: StoryMessenger | undefined;
}

/** No result after this long and the workflow is canceled. */
export const PANEL_TIMEOUT_MS = 25 * 60 * 1000;
