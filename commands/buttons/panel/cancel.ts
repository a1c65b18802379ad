import { type ButtonInteraction, MessageFlags } from 'discord.js';
import { cancelerFor } from '../../../src/accounts/orchestratorForUser.ts';
import { cancelDrawing } from '../../../src/comic/generation/cancelDrawing.ts';
import { findPressedDrawing } from './pressed.ts';
import type { AppDeps } from '../../../src/deps.ts';
import { NO_MENTIONS } from '../../../src/discord/render.ts';

/**
 * Cancel while a panel waits or is drawn. Acknowledged privately first (the orchestrator may be slow);
 * the panel's message then shows it canceled through the drawing's own delivery.
 */
export async function cancelPress(interaction: ButtonInteraction, deps: AppDeps, drawingId: string): Promise<void> {
	const drawing = await findPressedDrawing(interaction, deps, drawingId);
	await interaction.deferReply({ flags: MessageFlags.Ephemeral });
	// accounts: per-user key (canceled with the key that submitted the workflow)
	const canceler = cancelerFor(deps.accounts, interaction.user.id);
	const result = await cancelDrawing({ db: deps.db, botOrchestrator: deps.generation.botOrchestrator, log: deps.log, cancelerFor: canceler }, drawingId);
	const number = drawing.panel.number;
	let content: string;
	if (result.canceled) {
		await deps.jobs.poke();
		content = drawing.workflowId
			? `Canceled panel ${number}. The Buzz for it is refunded.`
			: `Canceled panel ${number} before it was sent to the generator: no Buzz was spent.`;
	} else if (result.reason === 'refused')
		content = `The generator would not cancel panel ${number}${result.status ? ` (it answered ${result.status})` : ''}, so it goes on being drawn. Try again in a moment.`;
	else if (result.reason === 'already') content = `Panel ${number} is already being canceled. Nothing more to do.`;
	else content = `Panel ${number} is already finished, so there is nothing to cancel.`;
	await interaction.editReply({ content, allowedMentions: NO_MENTIONS });
}
