import type { AccountDeps } from './accounts/keys.ts';
import type { CivitaiApi } from './civitai/civitaiApi.ts';
import type { Orchestrator } from './civitai/orchestrator.ts';
import type { ExportSlots } from './comic/export/exportSlots.ts';
import type { GenerationDeps } from './comic/generation/deps.ts';
import type { PostWriter } from './comic/publish/postWriter.ts';
import type { PanelLimits } from './comic/drawings/newPanel.ts';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import type { InteractionChannels } from './discord/interactionChannels.ts';
import type { AckGate } from './discord/ackGate.ts';
import type { JobRunner } from './jobs/runner.ts';
import type { ChatClient } from './llm/chatClient.ts';
import type { Log } from './log.ts';

/** What command handlers receive: built once in the composition root (src/app.ts). */
export interface AppDeps {
	readonly config: Config;
	readonly log: Log;
	readonly db: Db;
	readonly civitai: CivitaiApi;
	readonly generation: GenerationDeps;
	/** Users' own Civitai keys, and the bot's key for everyone else. */
	readonly accounts: AccountDeps & { readonly botOrchestrator: Orchestrator };
	readonly limits: PanelLimits;
	/** Runs the durable work (drawings); commands start a drawing they create at once. */
	readonly jobs: JobRunner;
	/** Lets work after an acknowledgement wait while other interactions still need theirs. */
	readonly ackGate: AckGate;
	/** Whether an interaction's channel is age-restricted (mature models and images allowed). */
	readonly interactionChannels: InteractionChannels;
	/** The LLM that plans stories; undefined without OPENAI_API_KEY. */
	readonly chat: ChatClient | undefined;
	/** Exports running in this process, one per user. */
	readonly exports: ExportSlots;
	/** Publishes running in this process, one per user (the same bound as exports, kept apart from them). */
	readonly publishes: ExportSlots;
	/** Posts and threads of `/comic publish`, written with the bot token. */
	readonly posts: PostWriter;
}
