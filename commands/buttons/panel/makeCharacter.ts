import type { ButtonInteraction } from 'discord.js';
import { UserFacingError } from '../../../src/comic/errors.ts';
import type { AppDeps } from '../../../src/deps.ts';
import { hasPicture, makeCharacterForm, NO_PICTURE } from '../../makeCharacter.ts';
import { findPressedDrawing } from './pressed.ts';

const MATURE_PICTURE =
	"This panel's picture is shown only in age-restricted channels, so a character cannot be made from it here. Press **Make a character** on its message in an age-restricted channel.";

/**
 * **Make a character** under a ready panel: the same form as the message command (text inputs `project`
 * and `name`), for the picture this message shows. Only the panel's owner, from the panel's own message,
 * checked before the form opens; its custom id names the message, so a press and the form's submission
 * work after a restart. A mature picture withheld from this channel is refused in plain words.
 */
export async function makeCharacterPress(interaction: ButtonInteraction, deps: AppDeps, drawingId: string): Promise<void> {
	const drawing = await findPressedDrawing(interaction, deps, drawingId);
	if (drawing.status !== 'ready')
		throw new UserFacingError('This panel has no picture (it is not drawn, or its drawing failed), so there is nothing to make a character from.');
	if (!hasPicture(interaction.message.attachments.values())) {
		const mature = await deps.db.take.count({ where: { drawingId: drawing.id, mature: true } });
		throw new UserFacingError(mature > 0 && !deps.interactionChannels.isAgeRestricted(interaction) ? MATURE_PICTURE : NO_PICTURE);
	}
	await interaction.showModal(makeCharacterForm(interaction.message.channelId, interaction.message.id));
}
