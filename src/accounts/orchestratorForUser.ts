import { Orchestrator, type SubmitWorkflow, type Workflow } from '../civitai/orchestrator.ts';
import { HttpError } from '../net/httpError.ts';
import { type AccountDeps, readUserKey } from './keys.ts';
import type { PaidBy } from './spend.ts';

export interface Payer {
	/** The client to use for everything of this user's panel: submit, reads, cancel, image download. */
	readonly orchestrator: Orchestrator;
	readonly paidBy: PaidBy;
}

/**
 * The client for a drawing whose payer was fixed when it was created (`Drawing.paidBy`): the bot's
 * for 'bot', whatever the owner has linked since; the owner's key for 'user', and when that key was
 * unlinked (or cannot be read) meanwhile, a client that answers as a rejected key would: the drawing
 * fails with "link it again" and is never moved to the bot's key half-way.
 */
export async function orchestratorFor(deps: AccountDeps & { readonly botOrchestrator: Orchestrator }, userId: string, paidBy: PaidBy): Promise<Payer> {
	if (paidBy === 'bot') return { orchestrator: deps.botOrchestrator, paidBy: 'bot' };
	const read = await readUserKey(deps, userId);
	if (read.state === 'linked') return { orchestrator: deps.orchestrators.for(read.key), paidBy: 'user' };
	if (read.state === 'none') deps.log.info({ userId }, 'a drawing paid with a key its owner has unlinked since; it fails');
	else deps.log.error({ userId, reason: read.reason }, "a user's linked Civitai key cannot be read; their panels fail until they link it again");
	return { orchestrator: new UnreadableKey(), paidBy: 'user' };
}

/**
 * For cancels outside the drawing's steps (Cancel, deleting a panel or a project): the client of each
 * drawing's payer, so a workflow is canceled with the key that submitted it. A project's members draw
 * with their own keys: the drawing's owner is named when known, else `userId` (the presser).
 */
export function cancelerFor(
	deps: AccountDeps & { readonly botOrchestrator: Orchestrator },
	userId: string,
): (paidBy: string, ownerId?: string) => Promise<Pick<Orchestrator, 'cancel'>> {
	return async (paidBy, ownerId = userId) => (await orchestratorFor(deps, ownerId, paidBy === 'user' ? 'user' : 'bot')).orchestrator;
}

/** Answers like the orchestrator does to a key it does not accept (401), without calling it. */
class UnreadableKey extends Orchestrator {
	public constructor() {
		super({ baseUrl: 'unreadable-key:', token: '' });
	}

	public override submit(_request: SubmitWorkflow): Promise<Workflow> {
		return Promise.reject(rejected('POST'));
	}

	public override get(_workflowId: string): Promise<Workflow> {
		return Promise.reject(rejected('GET'));
	}

	public override cancel(_workflowId: string): Promise<void> {
		return Promise.reject(rejected('PUT'));
	}

	public override refreshImageUrl(_blobId: string): Promise<string> {
		return Promise.reject(rejected('POST'));
	}

	public override checkKey(): Promise<void> {
		return Promise.reject(rejected('GET'));
	}
}

function rejected(method: string): HttpError {
	return new HttpError('Orchestrator', method, 'unreadable-key:/v2/consumer/workflows', 401, 'stored key unreadable', undefined);
}
