import { actorOf } from '../../src/discord/actor.ts';
import { MessageFlags } from 'discord.js';
import { quote } from '../../src/comic/names.ts';
import { removeCharacter } from '../../src/comic/removeCharacter.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import { subcommand } from '../command.ts';
import { removeCharacterDefinition } from '../definitions/character/remove.ts';

export const removeCharacterCommand = subcommand({
	definition: removeCharacterDefinition,
	async execute(interaction, options, deps) {
		const { project, character, panels } = await removeCharacter(deps.db, actorOf(interaction), options.project, options.character);
		const kept = panels === 0 ? '' : panels === 1 ? ' Its panel stays in the project.' : ` Its ${panels} panels stay in the project.`;
		await interaction.reply({
			content: `Removed **${quote(character.name)}** from **${quote(project.name)}**.${kept}`,
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
});
