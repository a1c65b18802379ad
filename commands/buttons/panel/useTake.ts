import { MessageFlags } from 'discord.js';
import { chooseTake, takesOf } from '../../../src/comic/takes/takes.ts';
import { findPressedDrawing } from './pressed.ts';
import { NO_MENTIONS } from '../../../src/discord/render.ts';
import type { ButtonHandler } from '../../command.ts';
import { panelControls } from './controls.ts';

/** Use N: take N becomes the panel's picture; the message's buttons show which take is. */
export const useTakeButtons: ButtonHandler<'panel-use'> = {
	family: 'panel-use',
	async execute(interaction, [drawingId, index], deps) {
		const drawing = await findPressedDrawing(interaction, deps, drawingId);
		const result = await chooseTake(deps.db, drawing, index);
		const pictures = await takesOf(deps.db, drawing.id);
		if (!result.chosen) {
			const content =
				result.reason === 'already'
					? `Take ${index} already is the picture of panel ${drawing.panel.number}. Nothing was changed.`
					: `Panel ${drawing.panel.number} has no take ${index} any more. Nothing was changed.`;
			await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
			return;
		}
		deps.log.info({ drawingId, panelId: drawing.panelId, take: index }, 'take chosen');
		await interaction.update({ components: panelControls({ ...drawing, pictures }), allowedMentions: NO_MENTIONS });
	},
};
