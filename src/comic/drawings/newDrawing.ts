import type { PaidBy } from '../../accounts/spend.ts';
import type { Drawing, Tx } from '../../db/database.ts';
import type { Placement } from './queue.ts';

/** The Discord message a drawing is shown in: the deferred reply of the command or press that asked for it. */
export interface DrawingMessageRef {
	readonly applicationId: string;
	readonly interactionId: string;
	readonly interactionToken: string;
	readonly interactionCreatedAt: Date;
	readonly channelId: string;
	readonly messageId: string | null;
}

export interface DrawingOf {
	readonly panelId: string;
	readonly ownerId: string;
	/** Where it was asked for: the server's daily limit counts it there. */
	readonly guildId: string | null;
	/** The prompt as typed for this drawing. */
	readonly prompt: string;
	// accounts: per-user key
	/** Whose key pays (read in the same transaction as the limits); fixed for the drawing's whole life. */
	readonly paidBy: PaidBy;
	/** A Change (issue 21): the instruction, and the take it changes. */
	readonly changeInstruction?: string | undefined;
	readonly changeTakeId?: string | null | undefined;
	/** A story's drawings are a millisecond apart, so the queue (oldest first) keeps the story's order. */
	readonly createdAt?: Date | undefined;
}

/**
 * Stores a drawing of a panel. With a free in-flight slot (`placement` queued) it is leased to the
 * caller, which starts it at once; should the caller die, its lease runs out (or the next start frees
 * it) and a runner picks it up. Without one it waits in the user's queue (./queue.ts), never due until
 * promoted; whose key pays (`paidBy`) stays as decided here. Called by `admit` (./admit.ts), inside the
 * transaction that took the user's turn and checked the limits.
 */
export function insertDrawing(
	tx: Tx,
	drawing: DrawingOf,
	message: DrawingMessageRef,
	lease: { owner: string; until: Date },
	now: number,
	placement: Pick<Placement, 'status'> = { status: 'queued' },
): Promise<Drawing> {
	const waits = placement.status === 'waiting';
	return tx.drawing.create({
		data: {
			...drawing,
			...message,
			status: placement.status,
			...(waits ? {} : { dueAt: new Date(now), leaseOwner: lease.owner, leaseUntil: lease.until }),
		},
	});
}
