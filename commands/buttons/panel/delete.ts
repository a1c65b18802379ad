import { actorOf } from '../../../src/discord/actor.ts';
import { cancelerFor } from '../../../src/accounts/orchestratorForUser.ts';
import type { ButtonInteraction } from 'discord.js';
import { takesOf } from '../../../src/comic/takes/takes.ts';
import { quote } from '../../../src/comic/names.ts';
import { deletePanel } from '../../../src/comic/panels/deletePanel.ts';
import type { AppDeps } from '../../../src/deps.ts';
import { plural } from '../../../src/discord/fitText.ts';
import { NO_MENTIONS } from '../../../src/discord/render.ts';
import { deleteConfirmation, panelControls } from './controls.ts';
import { findPressedDrawing } from './pressed.ts';

/** Delete: the panel's buttons make way for the question (only the owner can answer it). */
export async function deletePress(interaction: ButtonInteraction, deps: AppDeps, drawingId: string): Promise<void> {
	await findPressedDrawing(interaction, deps, drawingId, 'delete');
	await interaction.update({ components: deleteConfirmation(drawingId), allowedMentions: NO_MENTIONS });
}

/** Keep it: the buttons come back as they were. */
export async function keepPress(interaction: ButtonInteraction, deps: AppDeps, drawingId: string): Promise<void> {
	const drawing = await findPressedDrawing(interaction, deps, drawingId, 'delete');
	const pictures = await takesOf(deps.db, drawing.id);
	await interaction.update({ components: panelControls({ ...drawing, pictures }), allowedMentions: NO_MENTIONS });
}

/** Delete this panel: it leaves the project, and the message says so without its picture. */
export async function confirmDeletePress(interaction: ButtonInteraction, deps: AppDeps, drawingId: string): Promise<void> {
	await findPressedDrawing(interaction, deps, drawingId, 'delete');
	// accounts: per-user key (unfinished workflows are canceled with the key that submitted them)
	const canceler = cancelerFor(deps.accounts, interaction.user.id);
	const deleted = await deletePanel(
		{ db: deps.db, botOrchestrator: deps.generation.botOrchestrator, log: deps.log, images: deps.generation.images, cancelerFor: canceler },
		actorOf(interaction),
		drawingId,
	);
	const moved = deleted.moved ? ` The ${plural(deleted.moved, 'panel')} after it moved up one.` : '';
	await interaction.update({
		content: '',
		embeds: [
			{
				title: `${quote(deleted.projectName)} · panel ${deleted.number}`.slice(0, 256),
				description: `🗑️ Deleted: this panel is no longer part of **${quote(deleted.projectName)}**.${moved}`,
				color: 0x99aab5,
			},
		],
		attachments: [],
		files: [],
		components: [],
		allowedMentions: NO_MENTIONS,
	});
	// Answered first (3 seconds); the orchestrator may be slow.
	await deleted.canceled;
}
