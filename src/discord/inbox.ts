import { type REST, Routes } from 'discord.js';
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import type { Inbox, InboxLeftover } from '../db/inbox.ts';
import { isDeadOwner } from '../jobs/owner.ts';
import type { Log } from '../log.ts';
import { discordError, DiscordCode, isDeadToken } from './discordErrors.ts';
import { NO_MENTIONS } from './render.ts';

/** An interaction token's life. */
const TOKEN_LIFE_MS = 15 * 60_000;
/** A live process on another host that has not finished an interaction in this long never will. */
const ABANDONED_AFTER_MS = 5 * 60_000;
/** Rows looked at per sweep. */
const SWEEP_BATCH = 100;
/** Discord's message flag of a deferred reply still "thinking". */
const FLAG_LOADING = 1 << 7;

export const RESTARTED_BEFORE_DONE =
	'The bot restarted before it could finish this, and nothing of it was kept. Nothing was spent. Please run the command again.';

const messageSchema = z.object({ flags: z.number().optional() });

export interface InboxSweepDeps {
	readonly db: Db;
	readonly inbox: Inbox;
	/** REST for interaction webhooks (no bot token needed). */
	readonly webhooks: REST;
	readonly log: Log;
	/** This process's owner name: its own rows are being handled right now. */
	readonly owner: string;
	readonly now?: () => number;
}

/**
 * Settles interactions another process took in and never finished (killed, or cut off by a restart):
 * one that became a drawing is the job runner's (it delivers); one whose reply still "thinks" is told
 * plainly to be run again; one that was answered, or never acknowledged, needs nothing. Returns how many
 * were told. Rows of a dead process of this host are settled at once, others after ABANDONED_AFTER_MS.
 */
export async function sweepInbox(deps: InboxSweepDeps): Promise<number> {
	const now = deps.now ?? Date.now;
	const rows = await deps.inbox.leftovers(deps.owner, SWEEP_BATCH);
	const due = rows.filter((row) => isDeadOwner(row.owner) || now() - row.receivedAt.getTime() > ABANDONED_AFTER_MS);
	let told = 0;
	const settled: string[] = [];
	await Promise.allSettled(
		due.map(async (row) => {
			const outcome = await settle(row, deps, now()).catch((error: unknown) => {
				deps.log.warn({ err: error, interactionId: row.interactionId }, 'could not settle an interaction left by a stopped process');
				return 'later' as const;
			});
			if (outcome === 'later') return;
			if (outcome === 'told') told++;
			settled.push(row.interactionId);
		}),
	);
	await deps.inbox.remove(settled);
	if (told > 0) deps.log.info({ told }, 'told users whose commands a stopped process had acknowledged but not kept');
	return told;
}

async function settle(row: InboxLeftover, deps: InboxSweepDeps, now: number): Promise<'told' | 'nothing' | 'later'> {
	if (now - row.receivedAt.getTime() >= TOKEN_LIFE_MS) return 'nothing';
	// Stored as a drawing: the job runner finishes it and edits this very reply.
	if ((await deps.db.drawing.count({ where: { interactionId: row.interactionId } })) > 0) return 'nothing';
	const route = Routes.webhookMessage(row.applicationId, row.token);
	let flags: number;
	try {
		flags = messageSchema.parse(await deps.webhooks.get(route, { auth: false })).flags ?? 0;
	} catch (error) {
		// Never acknowledged (Discord told the user it failed), or the reply is gone: nothing to tell.
		if (isDeadToken(error) || discordError(error).code === DiscordCode.UnknownMessage) return 'nothing';
		return 'later';
	}
	if ((flags & FLAG_LOADING) === 0) return 'nothing';
	await deps.webhooks.patch(route, { auth: false, body: { content: RESTARTED_BEFORE_DONE, embeds: [], components: [], allowed_mentions: NO_MENTIONS } });
	return 'told';
}
