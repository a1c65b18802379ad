import type { InteractionCallbackResponse, RepliableInteraction } from 'discord.js';
import type { DrawingMessageRef } from '../comic/drawings/newDrawing.ts';

/** Where a drawing's message lives: the interaction's deferred reply, which any process can edit later. */
export function messageRefOf(interaction: RepliableInteraction, response: InteractionCallbackResponse): DrawingMessageRef {
	return {
		applicationId: interaction.applicationId,
		interactionId: interaction.id,
		interactionToken: interaction.token,
		interactionCreatedAt: new Date(interaction.createdTimestamp),
		channelId: interaction.channelId ?? '',
		messageId: response.resource?.message?.id ?? null,
	};
}
