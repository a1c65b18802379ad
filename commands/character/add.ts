import { MessageFlags } from 'discord.js';
import { GENERATION_DEFAULTS, baseModelGroup } from '../../src/comic/baseModels.ts';
import { addCharacter, trainedWordsOf } from '../../src/comic/characters.ts';
import { quote } from '../../src/comic/names.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { Subcommand } from '../command.ts';

export const addCharacterCommand: Subcommand = {
	group: 'character',
	name: 'add',
	async execute(interaction, deps) {
		// Civitai may take a few seconds: acknowledge first, privately, since errors are private too.
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const character = await addCharacter(
			deps,
			{
				ownerId: interaction.user.id,
				project: interaction.options.getString('project', true),
				model: interaction.options.getString('model', true),
				name: interaction.options.getString('name'),
				strength: interaction.options.getNumber('strength'),
			},
			deps.config.MAX_CHARACTERS_PER_PROJECT,
		);
		const words = trainedWordsOf(character);
		const group = baseModelGroup(character.baseModel);
		const project = await deps.db.project.findUniqueOrThrow({ where: { id: character.projectId }, select: { name: true } });
		await interaction.editReply({
			content: [
				`Added **${quote(character.name)}** to **${quote(project.name)}**.`,
				`Model: ${quote(character.modelName)} (${quote(character.versionName)}), ${character.modelType}`,
				`Base model: ${quote(character.baseModel)}${group ? ` → drawn with ${GENERATION_DEFAULTS[group].checkpoint.split(':').pop()} (${group})` : ''}`,
				`Strength: ${character.strength}`,
				`Trigger words: ${words.length ? words.map((word) => `\`${word.replace(/`/g, "'")}\``).join(', ') : 'none'}`,
			].join('\n'),
			allowedMentions: NO_MENTIONS,
		});
	},
};
