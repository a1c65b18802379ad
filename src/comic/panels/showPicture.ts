import type { GenerationDeps } from '../generation/deps.ts';
import { panelCost, viewOf } from '../generation/deliver.ts';
import { drawingToShow } from '../generation/drawingSubject.ts';
import { payerOf } from '../takes/payer.ts';
import { picturesToShow } from '../takes/pictures.ts';

/**
 * Shows a drawing's message again after the panel's picture became one of its takes (History's Use):
 * its Use buttons then mark the take. Edited through the messenger, as new words are (the interaction
 * token while it lives, else the bot token). `false` when it could not be shown (not delivered, a
 * story's panel, Discord refused): the caller says so.
 */
export async function showDrawingAgain(deps: GenerationDeps, drawingId: string): Promise<boolean> {
	const drawing = await drawingToShow(deps.db, drawingId);
	if (drawing?.status !== 'ready' || drawing.delivery !== 'delivered' || drawing.panel.storyId) return false;
	const words = { caption: drawing.panel.caption, dialogue: drawing.panel.dialogue };
	const pictures = await picturesToShow(deps, await payerOf(deps, drawing), drawing, words);
	// A new write, not a repeat of an interrupted delivery: the message is not read first.
	const result = await deps.messenger(viewOf({ ...drawing, deliveryStartedAt: null }, pictures, await panelCost(deps, drawing.panelId)));
	if (!result.ok) {
		deps.log.warn({ drawingId, reason: result.reason }, 'could not show the chosen take');
		return false;
	}
	if (result.messageId && result.messageId !== drawing.messageId)
		await deps.db.drawing.updateMany({ where: { id: drawing.id }, data: { messageId: result.messageId } });
	return true;
}
