import type { Payer } from '../../accounts/orchestratorForUser.ts';
import { isPaidBy, type PaidBy } from '../../accounts/spend.ts';
import type { Orchestrator } from '../../civitai/orchestrator.ts';

export type { Payer };

/** How a drawing's payer is found: the bot's own client, and the lookup of a user's (src/app.ts wires src/accounts/orchestratorForUser.ts). */
export interface PayerDeps {
	/** The bot's own client (CIVITAI_API_TOKEN): the payer of drawings paid by the bot, never a user's. */
	readonly botOrchestrator: Orchestrator;
	/** The client for a drawing's payer (its `paidBy`, fixed at creation): the owner's key or the bot's. Left out: the bot pays for everything. */
	readonly payerFor?: ((ownerId: string, paidBy: PaidBy) => Promise<Payer>) | undefined;
}

/**
 * The payer of a drawing (`Drawing.paidBy`, fixed when it was created): its client and who it is. A
 * drawing's workflow is submitted, read and canceled, and its pictures are fetched again, with the key
 * that submitted it, never with the bot's key for a user-paid drawing (the orchestrator shows a workflow
 * to the key that made it only). The result is passed on as an argument (`payer`), never spread over deps.
 */
export async function payerOf(deps: PayerDeps, drawing: { readonly ownerId: string; readonly paidBy: string }): Promise<Payer> {
	const paidBy = isPaidBy(drawing.paidBy) ? drawing.paidBy : 'bot';
	if (!deps.payerFor) return { orchestrator: deps.botOrchestrator, paidBy: 'bot' };
	return deps.payerFor(drawing.ownerId, paidBy);
}

/**
 * `payerOf` remembered per owner and kind of payer, for one pass over many drawings (an export, the
 * reader): each key is looked up (and decrypted) once.
 */
export function payersOf(deps: PayerDeps): (drawing: { readonly ownerId: string; readonly paidBy: string }) => Promise<Payer> {
	const found = new Map<string, Promise<Payer>>();
	return (drawing) => {
		const key = `${drawing.ownerId}:${drawing.paidBy}`;
		const payer = found.get(key) ?? payerOf(deps, drawing);
		found.set(key, payer);
		return payer;
	};
}
