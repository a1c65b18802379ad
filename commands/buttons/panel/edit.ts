import { ActionRowBuilder, type ButtonInteraction, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { PANEL_PROMPT_MAX } from '../../../src/comic/limits.ts';
import { findOwnDrawing, typedPrompt } from '../../../src/comic/panels/ownDrawing.ts';
import type { AppDeps } from '../../../src/deps.ts';
import type { ModalHandler } from '../../command.ts';
import { encode } from '../customId.ts';
import { drawAgain } from './drawAgain.ts';

/**
 * Edit opens a modal with the drawing's prompt. Caption and dialogue come with lettering: until then the
 * modal has the one text input, `prompt`.
 */
export async function showEditModal(interaction: ButtonInteraction, deps: AppDeps, drawingId: string): Promise<void> {
	const drawing = await findOwnDrawing(deps.db, interaction.user.id, drawingId);
	const prompt = new TextInputBuilder()
		.setCustomId('prompt')
		.setLabel('Prompt')
		.setStyle(TextInputStyle.Paragraph)
		.setRequired(true)
		.setMaxLength(PANEL_PROMPT_MAX)
		.setValue(typedPrompt(drawing).slice(0, PANEL_PROMPT_MAX));
	const modal = new ModalBuilder()
		.setCustomId(encode('panel-edit', [drawingId]))
		.setTitle(`Edit panel ${drawing.panel.number}`.slice(0, 45))
		.addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(prompt));
	await interaction.showModal(modal);
}

export const panelEditModal: ModalHandler<'panel-edit'> = {
	family: 'panel-edit',
	async execute(interaction, [drawingId], deps) {
		// An empty or too long prompt is refused by the checks in drawAgain, privately.
		await drawAgain(interaction, deps, drawingId, interaction.fields.getTextInputValue('prompt'));
	},
};
