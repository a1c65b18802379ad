import { actorOf } from '../../../src/discord/actor.ts';
import {
	ActionRowBuilder,
	type ButtonInteraction,
	MessageFlags,
	ModalBuilder,
	type ModalSubmitInteraction,
	TextInputBuilder,
	TextInputStyle,
} from 'discord.js';
import { CLEAR, checkPanelWords, setPanelWords } from '../../../src/comic/lettering/setPanelWords.ts';
import type { PanelWords } from '../../../src/comic/lettering/words.ts';
import { CAPTION_MAX, DIALOGUE_MAX, PANEL_PROMPT_MAX } from '../../../src/comic/limits.ts';
import { typedPrompt } from '../../../src/comic/drawings/ownDrawing.ts';
import type { AppDeps } from '../../../src/deps.ts';
import { NO_MENTIONS } from '../../../src/discord/render.ts';
import type { ModalHandler } from '../../command.ts';
import { encode } from '../customId.ts';
import { drawAgain } from './drawAgain.ts';
import { findPressedDrawing } from './pressed.ts';

/** Edit opens a modal with the drawing's prompt and the panel's words (text inputs `prompt`, `caption`, `dialogue`), pre-filled. */
export async function showEditModal(interaction: ButtonInteraction, deps: AppDeps, drawingId: string): Promise<void> {
	const drawing = await findPressedDrawing(interaction, deps, drawingId);
	const input = (id: string, label: string, max: number, value: string | null, required: boolean) => {
		const field = new TextInputBuilder().setCustomId(id).setLabel(label).setStyle(TextInputStyle.Paragraph).setRequired(required).setMaxLength(max);
		if (value) field.setValue(value.slice(0, max));
		return new ActionRowBuilder<TextInputBuilder>().addComponents(field);
	};
	const modal = new ModalBuilder()
		.setCustomId(encode('panel-edit', [drawingId]))
		.setTitle(`Edit panel ${drawing.panel.number}`.slice(0, 45))
		.addComponents(
			input('prompt', 'Prompt', PANEL_PROMPT_MAX, typedPrompt(drawing), true),
			input('caption', 'Caption (a narration box; empty: none)', CAPTION_MAX, drawing.panel.caption, false),
			input('dialogue', 'Dialogue: Name: words | Name: words', DIALOGUE_MAX, drawing.panel.dialogue, false),
		);
	await interaction.showModal(modal);
}

/** A text input of the submitted modal; undefined when the modal had none of that id (opened by an older version). */
function fieldOf(interaction: ModalSubmitInteraction, id: string): string | undefined {
	try {
		return interaction.fields.getTextInputValue(id).trim();
	} catch {
		return undefined;
	}
}

export const panelEditModal: ModalHandler<'panel-edit'> = {
	family: 'panel-edit',
	inputs: ['prompt'],
	async execute(interaction, [drawingId], deps) {
		const drawing = await findPressedDrawing(interaction, deps, drawingId);
		const prompt = interaction.fields.getTextInputValue('prompt');
		const caption = fieldOf(interaction, 'caption');
		const dialogue = fieldOf(interaction, 'dialogue');
		const changed = (typed: string | undefined, kept: string | null) => typed !== undefined && typed !== (kept ?? '');
		const wordsChanged = changed(caption, drawing.panel.caption) || changed(dialogue, drawing.panel.dialogue);
		const promptChanged = prompt.trim() !== typedPrompt(drawing).trim();
		let checked: PanelWords | undefined;
		if (wordsChanged) {
			const words = { caption: caption === '' ? CLEAR : caption, dialogue: dialogue === '' ? CLEAR : dialogue };
			if (!promptChanged) {
				// Only the words: lettered again on the picture there is, nothing redrawn, no Buzz.
				await interaction.deferReply({ flags: MessageFlags.Ephemeral });
				const set = await setPanelWords(deps.generation, actorOf(interaction), drawing.panel.projectId, drawing.panel.number, words);
				await interaction.editReply({ content: `New words on panel ${set.number}. Nothing was redrawn.`, allowedMentions: NO_MENTIONS });
				return;
			}
			// Both: the words are checked now and stored with the new drawing, in the transaction that admits
			// it; an Edit the limits refuse leaves the panel's prompt and words as they were.
			checked = (await checkPanelWords(deps.generation, actorOf(interaction), drawing.panel.projectId, drawing.panel.number, words)).words;
		}
		// An empty or too long prompt is refused by the checks in drawAgain, privately.
		await drawAgain(interaction, deps, drawingId, prompt, checked);
	},
};
