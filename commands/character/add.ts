import { actorOf } from '../../src/discord/actor.ts';
import { MessageFlags } from 'discord.js';
import { GENERATION_DEFAULTS, baseModelGroup } from '../../src/comic/baseModels.ts';
import { addCharacter, trainedWordsOf } from '../../src/comic/characters.ts';
import { quote } from '../../src/comic/names.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { AttachmentRef } from '../../src/comic/pictures/pictureCharacters.ts';
import { addPictureCharacter } from '../../src/comic/pictures/pictureCharacters.ts';
import { UserFacingError } from '../../src/comic/errors.ts';
import type { AppDeps } from '../../src/deps.ts';
import type { ChatInputCommandInteraction } from 'discord.js';
import type { Subcommand } from '../command.ts';
import { pictureAttachments } from './attachments.ts';

export const addCharacterCommand: Subcommand = {
	group: 'character',
	name: 'add',
	async execute(interaction, deps) {
		// Civitai may take a few seconds: acknowledge first, privately, since errors are private too.
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const model = interaction.options.getString('model');
		const attachments = pictureAttachments(interaction);
		if ((model === null || !model.trim()) === (attachments.length === 0))
			throw new UserFacingError(
				'Give exactly one of `model` (a Civitai LoRA) or `image` (pictures of the character, with `name`): a character is drawn either from a LoRA or from pictures. To give a LoRA character pictures too, use `/comic character pictures`.',
			);
		if (attachments.length > 0) {
			await addFromPictures(interaction, deps, attachments);
			return;
		}
		const character = await addCharacter(
			deps,
			{
				actor: actorOf(interaction),
				project: interaction.options.getString('project', true),
				model: model ?? '',
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

async function addFromPictures(interaction: ChatInputCommandInteraction, deps: AppDeps, attachments: readonly AttachmentRef[]): Promise<void> {
	const { character, pictures } = await addPictureCharacter(
		deps.db,
		{
			actor: actorOf(interaction),
			project: interaction.options.getString('project', true),
			name: interaction.options.getString('name'),
			description: interaction.options.getString('description'),
			attachments,
			mature: deps.interactionChannels.isAgeRestricted(interaction),
		},
		deps.config.MAX_CHARACTERS_PER_PROJECT,
	);
	const project = await deps.db.project.findUniqueOrThrow({ where: { id: character.projectId }, select: { name: true, engine: true } });
	const engine = project.engine === 'auto' ? 'nano-banana-2' : project.engine;
	await interaction.editReply({
		content: [
			`Added **${quote(character.name)}** to **${quote(project.name)}**, from ${pictures} picture${pictures === 1 ? '' : 's'}.`,
			character.description ? `Description: ${quote(character.description)}` : '',
			`Drawn by \`${engine}\` from its pictures (change it with \`/comic project edit engine:\`). Mention it in a prompt as \`@${quote(character.name)}\`.`,
		]
			.filter(Boolean)
			.join('\n'),
		allowedMentions: NO_MENTIONS,
	});
}
