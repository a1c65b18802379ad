import type { Orchestrator } from '../civitai/orchestrator.ts';
import type { Db } from '../db/database.ts';
import type { Log } from '../log.ts';

/** What canceling workflows outside a drawing's steps needs (Cancel, deleting a panel, a project or a story). */
export interface CancelDeps {
	readonly db: Db;
	/** The bot's own client: cancels the workflows the bot paid for (all of them when `cancelerFor` is left out). */
	readonly botOrchestrator: Pick<Orchestrator, 'cancel'>;
	readonly log: Log;
	/** The client of a drawing's payer (`Drawing.paidBy`, fixed at creation), when it may not be the bot's. */
	readonly cancelerFor?: ((paidBy: string, ownerId?: string) => Promise<Pick<Orchestrator, 'cancel'>>) | undefined;
}

/**
 * Cancels a workflow with the key that submitted it (its drawing's owner's, who may be a member of
 * someone else's project); rejects when the orchestrator refuses.
 */
export async function cancelWorkflow(deps: CancelDeps, workflowId: string, paidBy: string, ownerId?: string): Promise<void> {
	const orchestrator = (await deps.cancelerFor?.(paidBy, ownerId)) ?? deps.botOrchestrator;
	await orchestrator.cancel(workflowId);
}
