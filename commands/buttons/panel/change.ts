import { ActionRowBuilder, type ButtonInteraction, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { UserFacingError } from '../../../src/comic/errors.ts';
import type { AppDeps } from '../../../src/deps.ts';
import type { ModalHandler } from '../../command.ts';
import { encode } from '../customId.ts';
import { drawAgain } from './drawAgain.ts';
import { findPressedDrawing } from './pressed.ts';

/** How long a Change's instruction may be. */
export const INSTRUCTION_MAX = 1000;

/** Change opens a modal with one text input, `instruction` ("make it night"); only the owner, from the drawing's own message. */
export async function showChangeModal(interaction: ButtonInteraction, deps: AppDeps, drawingId: string): Promise<void> {
	const drawing = await findPressedDrawing(interaction, deps, drawingId);
	const field = new TextInputBuilder()
		.setCustomId('instruction')
		.setLabel('What should change?')
		.setPlaceholder('make it night · she holds an umbrella · closer on his face')
		.setStyle(TextInputStyle.Paragraph)
		.setRequired(true)
		.setMinLength(1)
		.setMaxLength(INSTRUCTION_MAX);
	const modal = new ModalBuilder()
		.setCustomId(encode('panel-change', [drawingId]))
		.setTitle(`Change panel ${drawing.panel.number}`.slice(0, 45))
		.addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(field));
	await interaction.showModal(modal);
}

/**
 * The Change modal's submit: a new drawing of the same panel, admitted exactly like Redraw (drawAgain:
 * limits, ledger, queue, channel safety, confirm_above), drawn by an edit engine from the panel's picture.
 */
export const panelChangeModal: ModalHandler<'panel-change'> = {
	family: 'panel-change',
	inputs: ['instruction'],
	async execute(interaction, [drawingId], deps) {
		await findPressedDrawing(interaction, deps, drawingId);
		const instruction = interaction.fields.getTextInputValue('instruction').trim();
		if (instruction.length === 0 || instruction.length > INSTRUCTION_MAX)
			throw new UserFacingError(`Say what should change in 1 to ${INSTRUCTION_MAX} characters. Nothing was drawn.`);
		await drawAgain(interaction, deps, drawingId, undefined, undefined, instruction);
	},
};
