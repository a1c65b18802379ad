import { actorOf } from '../../src/discord/actor.ts';
import { MessageFlags, type APIEmbed } from 'discord.js';
import { baseModelGroup } from '../../src/comic/baseModels.ts';
import { listCharacters, trainedWordsOf } from '../../src/comic/characters.ts';
import { quote } from '../../src/comic/names.ts';
import { DISCORD_LIMITS, fitLines, oneLine, plural } from '../../src/discord/fitText.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import { thumbnailsOf } from '../../src/comic/pictures/pictureCharacters.ts';
import type { Subcommand } from '../command.ts';

type Thumbnails = Awaited<ReturnType<typeof thumbnailsOf>>;

/** A small embed with the first picture of each character that has pictures (at most 9: a message holds 10 embeds). */
export function thumbnailEmbeds(
	characters: readonly { id: string; name: string }[],
	thumbnails: Thumbnails,
): { embeds: APIEmbed[]; files: { attachment: Buffer; name: string }[] } {
	const shown = characters.filter((character) => thumbnails.has(character.id)).slice(0, 9);
	const files = shown.map((character, index) => ({
		attachment: thumbnails.get(character.id)?.thumbnail ?? Buffer.alloc(0),
		name: `character-${index + 1}.jpg`,
	}));
	const embeds = shown.map((character, index) => ({
		title: oneLine(character.name, DISCORD_LIMITS.embedTitle),
		thumbnail: { url: `attachment://character-${index + 1}.jpg` },
	}));
	return { embeds, files };
}

export const listCharactersCommand: Subcommand = {
	group: 'character',
	name: 'list',
	async execute(interaction, deps) {
		const { project, characters } = await listCharacters(deps.db, actorOf(interaction), interaction.options.getString('project', true));
		if (characters.length === 0) {
			await interaction.reply({
				content: `**${quote(project.name)}** has no characters yet. Add one with \`/comic character add\` (a Civitai LoRA link or id).`,
				flags: MessageFlags.Ephemeral,
				allowedMentions: NO_MENTIONS,
			});
			return;
		}
		const thumbnails = await thumbnailsOf(
			deps.db,
			characters.map((character) => character.id),
			deps.interactionChannels.isAgeRestricted(interaction),
		);
		const { embeds, files } = thumbnailEmbeds(characters, thumbnails);
		await interaction.reply({
			embeds: [renderCharacters(project.name, characters, thumbnails), ...embeds],
			files,
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
};

type CharacterRow = Awaited<ReturnType<typeof listCharacters>>['characters'][number];

function renderCharacters(projectName: string, characters: readonly CharacterRow[], thumbnails: Thumbnails): APIEmbed {
	const entries = characters.map((character) => {
		const pictures = thumbnails.get(character.id)?.count ?? 0;
		const picturesLine = pictures > 0 ? `  Reference pictures: ${pictures}` : '';
		if (!character.lora)
			return [
				`**${quote(oneLine(character.name, 80))}** · ${plural(character._count.panels, 'panel')}`,
				`  From ${plural(pictures, 'picture')}, drawn by an imageGen engine${character.description ? ` · ${quote(oneLine(character.description, 120))}` : ''}`,
			].join('\n');
		const words = trainedWordsOf(character).map((word) => `\`${oneLine(word, 40).replace(/`/g, "'")}\``);
		const group = baseModelGroup(character.baseModel);
		return [
			`**${quote(oneLine(character.name, 80))}** · ${plural(character._count.panels, 'panel')}`,
			`  ${quote(oneLine(character.modelName, 80))} (${quote(oneLine(character.versionName, 40))}), ${quote(character.modelType)} · ${quote(oneLine(character.baseModel, 40))}${group && group !== character.baseModel ? ` (${group})` : ''}`,
			`  Trigger words: ${words.length ? words.slice(0, 8).join(', ') : 'none'}`,
			picturesLine,
		]
			.filter(Boolean)
			.join('\n');
	});
	return {
		title: oneLine(`Characters of ${quote(projectName)} (${characters.length})`, DISCORD_LIMITS.embedTitle),
		description: fitLines(entries, DISCORD_LIMITS.embedDescription, (left) => `…and ${plural(left, 'more character')}`),
	};
}
