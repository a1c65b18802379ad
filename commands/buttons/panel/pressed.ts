import { actorOf } from '../../../src/discord/actor.ts';
import { type ButtonInteraction, MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import { findOwnDrawing, type OwnDrawing } from '../../../src/comic/drawings/ownDrawing.ts';
import type { AppDeps } from '../../../src/deps.ts';
import { checkDrawingMessage } from '../pressedMessage.ts';

/**
 * The drawing a panel button (or the Edit modal) names: it still exists, the presser may use it (whoever drew it, the project's owner; for Delete, a moderator too: src/comic/access.ts), and the
 * press came from its own message. Called before anything is acknowledged, so every refusal is a
 * private reply and the message stays as it was.
 */
export async function findPressedDrawing(
	interaction: ButtonInteraction | ModalSubmitInteraction,
	deps: AppDeps,
	drawingId: string,
	right: 'draw' | 'delete' = 'draw',
): Promise<OwnDrawing> {
	const drawing = await findOwnDrawing(deps.db, actorOf(interaction), drawingId, right);
	if (isOwnPrivateFollowUp(interaction, drawing)) return drawing;
	checkDrawingMessage(interaction, drawing);
	return drawing;
}

/**
 * The private question the bot asks a drawing's owner (Draw / Cancel above confirm_above): an ephemeral
 * follow-up of the drawing's own interaction, shown to the presser only. Its buttons act on that drawing.
 */
function isOwnPrivateFollowUp(interaction: ButtonInteraction | ModalSubmitInteraction, drawing: OwnDrawing): boolean {
	const message = interaction.message;
	if (!message?.flags.has(MessageFlags.Ephemeral)) return false;
	const metadata = message.interactionMetadata;
	return metadata?.id === drawing.interactionId && metadata.user.id === interaction.user.id;
}
