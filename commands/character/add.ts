import { MessageFlags } from 'discord.js';
import { GENERATION_DEFAULTS, baseModelGroup } from '../../src/comic/baseModels.ts';
import { addCharacter, CHARACTER_NAME_MAX, trainedWordsOf } from '../../src/comic/characters.ts';
import { quote } from '../../src/comic/names.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { Subcommand } from '../command.ts';
import { projectOption } from '../options.ts';

export const addCharacterCommand: Subcommand = {
	group: 'character',
	name: 'add',
	define: (builder) =>
		projectOption(builder.setName('add').setDescription('Add a character: a Civitai LoRA, so the same face comes back in every panel'))
			.addStringOption((option) =>
				option.setName('model').setDescription('Model-version id, Civitai model page URL, or AIR (urn:air:…@version)').setRequired(true).setMaxLength(300),
			)
			.addStringOption((option) => option.setName('name').setDescription("The character's name (default: the model's name)").setMaxLength(CHARACTER_NAME_MAX)),
	async execute(interaction, deps) {
		// Civitai may take a few seconds: acknowledge first, privately, since errors are private too.
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const character = await addCharacter(deps, {
			ownerId: interaction.user.id,
			project: interaction.options.getString('project', true),
			model: interaction.options.getString('model', true),
			name: interaction.options.getString('name'),
		});
		const words = trainedWordsOf(character);
		const group = baseModelGroup(character.baseModel);
		const project = await deps.db.project.findUniqueOrThrow({ where: { id: character.projectId }, select: { name: true } });
		await interaction.editReply({
			content: [
				`Added **${quote(character.name)}** to **${quote(project.name)}**.`,
				`Model: ${quote(character.modelName)} (${quote(character.versionName)}), ${character.modelType}`,
				`Base model: ${quote(character.baseModel)}${group ? ` → drawn with ${GENERATION_DEFAULTS[group].checkpoint.split(':').pop()} (${group})` : ''}`,
				`Trigger words: ${words.length ? words.map((word) => `\`${word.replace(/`/g, "'")}\``).join(', ') : 'none'}`,
			].join('\n'),
			allowedMentions: NO_MENTIONS,
		});
	},
};
