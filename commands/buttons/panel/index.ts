import type { ButtonHandler } from '../../command.ts';
import { cancelPress } from './cancel.ts';
import { confirmDeletePress, deletePress, keepPress } from './delete.ts';
import { detailsPress } from './details.ts';
import { drawPress } from './draw.ts';
import { drawAgain } from './drawAgain.ts';
import { showChangeModal } from './change.ts';
import { showEditModal } from './edit.ts';
import { historyPress } from './history.ts';
import { makeCharacterPress } from './makeCharacter.ts';
import { findPressedDrawing } from './pressed.ts';

/** The buttons of a panel message; each checks that the panel still exists, that the presser owns it and that the press came from its message. */
export const panelButtons: ButtonHandler<'panel'> = {
	family: 'panel',
	async execute(interaction, [action, drawingId], deps) {
		switch (action) {
			case 'redraw':
				// Checked here as well as in drawAgain: the press must come from the drawing's own message.
				await findPressedDrawing(interaction, deps, drawingId);
				return drawAgain(interaction, deps, drawingId);
			case 'edit':
				return showEditModal(interaction, deps, drawingId);
			case 'change':
				return showChangeModal(interaction, deps, drawingId);
			case 'history':
				return historyPress(interaction, deps, drawingId);
			case 'details':
				return detailsPress(interaction, deps, drawingId);
			case 'delete':
				return deletePress(interaction, deps, drawingId);
			case 'delete-confirm':
				return confirmDeletePress(interaction, deps, drawingId);
			case 'delete-keep':
				return keepPress(interaction, deps, drawingId);
			case 'cancel':
				return cancelPress(interaction, deps, drawingId);
			case 'draw':
				return drawPress(interaction, deps, drawingId);
			case 'character':
				return makeCharacterPress(interaction, deps, drawingId);
		}
	},
};
