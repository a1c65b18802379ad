import type { ButtonInteraction, ModalSubmitInteraction } from 'discord.js';
import { messageRefOf } from '../../../src/discord/messageRef.ts';
import { admittedOne } from '../../../src/comic/drawings/start.ts';
import { startDrawings } from '../../drawingTail.ts';
import { createRedraw, planRedraw } from '../../../src/comic/drawings/redraw.ts';
import type { PanelWords } from '../../../src/comic/lettering/words.ts';
import type { AppDeps } from '../../../src/deps.ts';

/**
 * Redraw, and the Edit modal's submit: a new drawing of the panel (a new seed, the same or the edited
 * prompt) in a new public message, the press's own deferred reply, so the old message keeps working.
 * The checks come before the acknowledgement, so a refusal is a plain private reply and nothing is
 * stored; the limits are checked again when the drawing is stored.
 */
export async function drawAgain(
	interaction: ButtonInteraction | ModalSubmitInteraction,
	deps: AppDeps,
	drawingId: string,
	prompt?: string,
	words?: PanelWords,
	change?: string,
): Promise<void> {
	const request = {
		ownerId: interaction.user.id,
		drawingId,
		prompt,
		words,
		change,
		guildId: interaction.guildId,
		allowMature: deps.interactionChannels.isAgeRestricted(interaction),
	};
	const plan = await planRedraw(deps.db, deps.limits, request);
	const response = await interaction.deferReply({ withResponse: true });
	deps.ackGate.acknowledged(interaction.id);
	const lease = deps.jobs.newClaim(interaction.id);
	const { drawing, placement, promoted } = await createRedraw(deps.db, deps.limits, plan, messageRefOf(interaction, response), {
		owner: lease.claim,
		until: lease.until,
	});
	deps.log.info(
		{ panelId: plan.panelId, drawingId: drawing.id, from: drawingId, edited: plan.edited },
		change !== undefined ? 'panel changed' : prompt === undefined ? 'panel redrawn' : 'panel edited',
	);
	await startDrawings(deps, admittedOne({ drawing, placement, promoted }, lease.claim));
}
