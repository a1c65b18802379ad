import { actorOf } from '../../src/discord/actor.ts';
import { MessageFlags } from 'discord.js';
import { quote } from '../../src/comic/names.ts';
import { setCharacterPictures } from '../../src/comic/pictures/pictureCharacters.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { Subcommand } from '../command.ts';
import { pictureAttachments } from './attachments.ts';

export const characterPicturesCommand: Subcommand = {
	group: 'character',
	name: 'pictures',
	async execute(interaction, deps) {
		// Downloading and checking up to four pictures takes a moment: acknowledge first, privately.
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const { character, projectName, pictures } = await setCharacterPictures(deps.db, {
			actor: actorOf(interaction),
			project: interaction.options.getString('project', true),
			character: interaction.options.getString('character', true),
			attachments: pictureAttachments(interaction),
			mature: deps.interactionChannels.isAgeRestricted(interaction),
		});
		await interaction.editReply({
			content: [
				`**${quote(character.name)}** of **${quote(projectName)}** now has ${pictures} reference picture${pictures === 1 ? '' : 's'}.`,
				character.lora
					? 'It keeps its LoRA: panels drawn by its checkpoint stay as they were; a project whose engine is an imageGen engine (`/comic project edit`) draws it from these pictures.'
					: 'Its next panels are drawn from these pictures.',
			].join('\n'),
			allowedMentions: NO_MENTIONS,
		});
	},
};
