import type { ButtonInteraction, ModalSubmitInteraction } from 'discord.js';
import { findOwnDrawing, type OwnDrawing } from '../../../src/comic/panels/ownDrawing.ts';
import type { AppDeps } from '../../../src/deps.ts';
import { checkDrawingMessage } from '../pressedMessage.ts';

/**
 * The drawing a panel button (or the Edit modal) names: it still exists, the presser owns it, and the
 * press came from its own message. Called before anything is acknowledged, so every refusal is a
 * private reply and the message stays as it was.
 */
export async function findPressedDrawing(interaction: ButtonInteraction | ModalSubmitInteraction, deps: AppDeps, drawingId: string): Promise<OwnDrawing> {
	const drawing = await findOwnDrawing(deps.db, interaction.user.id, drawingId);
	checkDrawingMessage(interaction, drawing);
	return drawing;
}
