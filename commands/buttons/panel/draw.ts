import { type ButtonInteraction, MessageFlags } from 'discord.js';
import { confirmDrawing } from '../../../src/comic/drawings/confirmDrawing.ts';
import { startDrawings } from '../../drawingTail.ts';
import { findPressedDrawing } from './pressed.ts';
import type { AppDeps } from '../../../src/deps.ts';
import { NO_MENTIONS } from '../../../src/discord/render.ts';

/** Draw, under a panel estimated above confirm_above: the owner's OK, after which it is submitted. */
export async function drawPress(interaction: ButtonInteraction, deps: AppDeps, drawingId: string): Promise<void> {
	// Who may press is checked before anything is acknowledged: someone else gets a plain private refusal.
	const drawing = await findPressedDrawing(interaction, deps, drawingId);
	const result = await confirmDrawing(deps.db, drawingId);
	// Let through: made due, started like every drawing.
	if (result === 'confirmed') await startDrawings(deps, { due: [drawingId] });
	const number = drawing.panel.number;
	const content =
		result === 'confirmed'
			? `Drawing panel ${number} (about ${Math.round(drawing.estimatedBuzz ?? 0)} Buzz).`
			: result === 'already'
				? `Panel ${number} is already on its way: nothing more to do.`
				: `Panel ${number} is no longer waiting for your OK (it was canceled or has ended), so nothing was drawn.`;
	await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}
