import { isPaidBy } from '../../accounts/spend.ts';
import type { Orchestrator } from '../../civitai/orchestrator.ts';
import type { GenerationDeps } from './deps.ts';

/**
 * The client of a drawing's fixed payer (`Drawing.paidBy`): its workflow is read and its pictures are
 * fetched again with the key that submitted it, never with the bot's key for a user-paid drawing (the
 * orchestrator shows a workflow to the key that made it only). Outside the drawing's job: export,
 * lettering, the reader, the contact sheet.
 */
export async function payerOf(
	deps: Pick<GenerationDeps, 'orchestrator' | 'payerFor'>,
	drawing: { readonly ownerId: string; readonly paidBy: string },
): Promise<Orchestrator> {
	if (!deps.payerFor) return deps.orchestrator;
	return (await deps.payerFor(drawing.ownerId, isPaidBy(drawing.paidBy) ? drawing.paidBy : 'bot')).orchestrator;
}
