import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { DrawingView } from '../../../src/comic/generation/deps.ts';
import { encode } from '../customId.ts';

/** What the buttons of a panel message depend on. */
export type ControlsOf = Pick<DrawingView, 'id' | 'status' | 'pictures' | 'cancelRequestedAt'> &
	Partial<Pick<DrawingView, 'confirmAskedAt' | 'confirmedAt' | 'estimatedBuzz'>>;

/**
 * The buttons under a panel message. While it waits or is drawn: Cancel. Once ready: Use 1 … Use N
 * (with several takes; the panel's picture is marked) and Redraw, Edit, Details, Delete; a failed
 * panel can be drawn again or deleted. Every custom id names the drawing, so a press works after a
 * restart and long after the interaction's token is gone.
 */
export function panelControls(panel: ControlsOf) {
	const button = (
		action: 'redraw' | 'edit' | 'change' | 'history' | 'character' | 'details' | 'delete' | 'cancel' | 'draw',
		label: string,
		style: ButtonStyle,
	) =>
		new ButtonBuilder()
			.setCustomId(encode('panel', [action, panel.id]))
			.setLabel(label)
			.setStyle(style);
	const rows: ActionRowBuilder<ButtonBuilder>[] = [];
	if (panel.status === 'queued' && panel.confirmAskedAt && !panel.confirmedAt && !panel.cancelRequestedAt)
		return confirmationButtons(panel.id, panel.estimatedBuzz ?? null);
	if (panel.status === 'waiting' || panel.status === 'queued' || panel.status === 'generating') {
		if (!panel.cancelRequestedAt) rows.push(new ActionRowBuilder<ButtonBuilder>().addComponents(button('cancel', 'Cancel', ButtonStyle.Secondary)));
		return rows.map((row) => row.toJSON());
	}
	if (panel.status === 'ready' && panel.pictures.length > 1) {
		const takes = panel.pictures.slice(0, 5).map((picture) =>
			new ButtonBuilder()
				.setCustomId(encode('panel-use', [panel.id, picture.index]))
				.setLabel(picture.chosen ? `✓ Use ${picture.index}` : `Use ${picture.index}`)
				.setStyle(picture.chosen ? ButtonStyle.Success : ButtonStyle.Secondary),
		);
		rows.push(new ActionRowBuilder<ButtonBuilder>().addComponents(takes));
	}
	rows.push(
		new ActionRowBuilder<ButtonBuilder>().addComponents(
			button('redraw', '🎲 Redraw', ButtonStyle.Primary),
			button('edit', '✏️ Edit', ButtonStyle.Secondary),
			button('change', '🪄 Change', ButtonStyle.Secondary),
			button('details', 'Details', ButtonStyle.Secondary),
			button('delete', 'Delete', ButtonStyle.Danger),
		),
		// Issue 21: every take of the panel, across its drawings, and making any of them its picture again;
		// a character made from the panel's picture (the message command's form, from the buttons too).
		new ActionRowBuilder<ButtonBuilder>().addComponents(
			button('history', 'History', ButtonStyle.Secondary),
			...(panel.status === 'ready' ? [button('character', '🧑 Make a character', ButtonStyle.Secondary)] : []),
		),
	);
	return rows.map((row) => row.toJSON());
}

/** Delete's question, in place of the panel's buttons until it is answered. */
export function deleteConfirmation(drawingId: string) {
	return [
		new ActionRowBuilder<ButtonBuilder>()
			.addComponents(
				new ButtonBuilder()
					.setCustomId(encode('panel', ['delete-confirm', drawingId]))
					.setLabel('Delete this panel')
					.setStyle(ButtonStyle.Danger),
				new ButtonBuilder()
					.setCustomId(encode('panel', ['delete-keep', drawingId]))
					.setLabel('Keep it')
					.setStyle(ButtonStyle.Secondary),
			)
			.toJSON(),
	];
}

/** Above confirm_above: **Draw** (about N Buzz) or **Cancel**; nothing is submitted before Draw. Only the owner may press. */
export function confirmationButtons(drawingId: string, estimate: number | null) {
	return [
		new ActionRowBuilder<ButtonBuilder>()
			.addComponents(
				new ButtonBuilder()
					.setCustomId(encode('panel', ['draw', drawingId]))
					.setLabel(estimate === null ? 'Draw' : `Draw (about ${Math.round(estimate)} Buzz)`)
					.setStyle(ButtonStyle.Primary),
				new ButtonBuilder()
					.setCustomId(encode('panel', ['cancel', drawingId]))
					.setLabel('Cancel')
					.setStyle(ButtonStyle.Secondary),
			)
			.toJSON(),
	];
}
