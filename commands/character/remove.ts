import { actorOf } from '../../src/discord/actor.ts';
import { MessageFlags } from 'discord.js';
import { quote } from '../../src/comic/names.ts';
import { removeCharacter } from '../../src/comic/removeCharacter.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { Subcommand } from '../command.ts';

export const removeCharacterCommand: Subcommand = {
	group: 'character',
	name: 'remove',
	async execute(interaction, deps) {
		const { project, character, panels } = await removeCharacter(
			deps.db,
			actorOf(interaction),
			interaction.options.getString('project', true),
			interaction.options.getString('character', true),
		);
		const kept = panels === 0 ? '' : panels === 1 ? ' Its panel stays in the project.' : ` Its ${panels} panels stay in the project.`;
		await interaction.reply({
			content: `Removed **${quote(character.name)}** from **${quote(project.name)}**.${kept}`,
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
};
