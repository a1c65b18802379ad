import type { REST } from '@discordjs/rest';
import { type APIActionRowComponent, type APIComponentInMessageActionRow, MessageFlags, Routes } from 'discord.js';
import type { DrawingSubject } from '../comic/generation/drawingSubject.ts';
import { quote } from '../comic/names.ts';
import { NO_MENTIONS } from './render.ts';
import { TOKEN_SAFE_AGE_MS } from './messenger.ts';

export interface ConfirmationDeps {
	readonly rest: REST;
	/** Draw / Cancel for a drawing (commands/buttons/ builds them: their custom ids are its codec's). */
	readonly buttons: (drawingId: string, estimate: number) => APIActionRowComponent<APIComponentInMessageActionRow>[];
	readonly now?: () => number;
}

/**
 * Asks a panel's owner, privately (an ephemeral follow-up of their command), whether to draw a panel
 * estimated above the server's `confirm_above`. Only while the interaction token lives; past that the
 * panel's own message carries the same question and buttons.
 */
export function createConfirmationAsker(deps: ConfirmationDeps): (drawing: DrawingSubject, estimate: number, threshold: number) => Promise<void> {
	const now = deps.now ?? Date.now;
	return async (drawing, estimate, threshold) => {
		if (drawing.tokenDead || now() - drawing.interactionCreatedAt.getTime() > TOKEN_SAFE_AGE_MS) return;
		await deps.rest.post(Routes.webhook(drawing.applicationId, drawing.interactionToken), {
			auth: false,
			body: {
				content: `Panel ${drawing.panel.number} of **${quote(drawing.project.name)}** would cost **about ${Math.round(estimate)} Buzz** (this server asks above ${threshold}). Nothing is spent until you press Draw.`,
				flags: MessageFlags.Ephemeral,
				allowed_mentions: NO_MENTIONS,
				components: deps.buttons(drawing.id, estimate),
			},
		});
	};
}
