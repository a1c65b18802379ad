import type { ButtonInteraction } from 'discord.js';
import { UserFacingError } from '../../../src/comic/errors.ts';
import type { AppDeps } from '../../../src/deps.ts';
import { hasPicture, makeCharacterForm } from '../../makeCharacter.ts';
import { findPressedDrawing } from './pressed.ts';

/**
 * **Make a character** under a ready panel: the same form as the message command (text inputs `project`
 * and `name`), for the picture this message shows. Only the panel's owner, from the panel's own message,
 * checked before the form opens; its custom id names the message, so a press and the form's submission
 * work after a restart. A mature picture withheld from a channel that is not age-restricted leaves its
 * panel without a picture there (the drawing ends withheld): no button, and a forged press is refused.
 */
export async function makeCharacterPress(interaction: ButtonInteraction, deps: AppDeps, drawingId: string): Promise<void> {
	const drawing = await findPressedDrawing(interaction, deps, drawingId);
	if (drawing.status !== 'ready' || !hasPicture(interaction.message.attachments.values()))
		throw new UserFacingError(
			'This panel shows no picture here (it is not drawn, its drawing failed, or its picture is withheld from this channel), so there is nothing to make a character from.',
		);
	await interaction.showModal(makeCharacterForm(interaction.message.channelId, interaction.message.id));
}
