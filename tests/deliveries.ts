// Counting what reached Discord for a panel, the way a user would see it: how many times its final
// state was written into its messages (the original reply, and any new message posted for it).
import type { Drawing as Panel } from '../src/db/database.ts';
import { nonceFor } from '../src/discord/messenger.ts';
import type { FakeDiscord, FakeMessage } from './fakes/discord.ts';

/** The panel's messages: its original reply and the channel posts that carry its nonce. */
export function panelMessages(discord: FakeDiscord, panel: Pick<Panel, 'id' | 'interactionId'>): FakeMessage[] {
	const original = discord.originalMessage(panel.interactionId);
	const posted = [...discord.messages.values()].filter((message) => message.nonce === nonceFor(panel.id));
	return original ? [original, ...posted] : posted;
}

/** Bodies that showed the final state: the picture attached, or the failure reason. */
export function finalDeliveries(discord: FakeDiscord, panel: Pick<Panel, 'id' | 'interactionId' | 'status' | 'failureReason'>): number {
	return panelMessages(discord, panel).reduce((count, message) => count + message.history.filter((body) => isFinal(body, panel)).length, 0);
}

function isFinal(body: unknown, panel: Pick<Panel, 'status' | 'failureReason'>): boolean {
	if (panel.status === 'failed') return panel.failureReason !== null && JSON.stringify(body).includes(JSON.stringify(panel.failureReason).slice(1, -1));
	const attachments = typeof body === 'object' && body !== null && 'attachments' in body ? body.attachments : undefined;
	return Array.isArray(attachments) && attachments.length > 0;
}

/** Every request that used a panel's interaction token through the webhook routes. */
export function webhookCalls(discord: FakeDiscord, token: string): { method: string; status: number; at: number }[] {
	return discord.requests
		.filter((request) => request.path.includes(`/webhooks/`) && request.path.includes(`/${token}/`))
		.map(({ method, status, at }) => ({ method, status, at }));
}
