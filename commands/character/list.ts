import { MessageFlags, type APIEmbed } from 'discord.js';
import { baseModelGroup } from '../../src/comic/baseModels.ts';
import { listCharacters, trainedWordsOf } from '../../src/comic/characters.ts';
import { quote } from '../../src/comic/names.ts';
import { DISCORD_LIMITS, fitLines, oneLine, plural } from '../../src/discord/fitText.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { Subcommand } from '../command.ts';

export const listCharactersCommand: Subcommand = {
	group: 'character',
	name: 'list',
	async execute(interaction, deps) {
		const { project, characters } = await listCharacters(deps.db, interaction.user.id, interaction.options.getString('project', true));
		if (characters.length === 0) {
			await interaction.reply({
				content: `**${quote(project.name)}** has no characters yet. Add one with \`/comic character add\` (a Civitai LoRA link or id).`,
				flags: MessageFlags.Ephemeral,
				allowedMentions: NO_MENTIONS,
			});
			return;
		}
		await interaction.reply({ embeds: [renderCharacters(project.name, characters)], flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
	},
};

type CharacterRow = Awaited<ReturnType<typeof listCharacters>>['characters'][number];

function renderCharacters(projectName: string, characters: readonly CharacterRow[]): APIEmbed {
	const entries = characters.map((character) => {
		const words = trainedWordsOf(character).map((word) => `\`${oneLine(word, 40).replace(/`/g, "'")}\``);
		const group = baseModelGroup(character.baseModel);
		return [
			`**${quote(oneLine(character.name, 80))}** · ${plural(character._count.panels, 'panel')}`,
			`  ${quote(oneLine(character.modelName, 80))} (${quote(oneLine(character.versionName, 40))}), ${quote(character.modelType)} · ${quote(oneLine(character.baseModel, 40))}${group && group !== character.baseModel ? ` (${group})` : ''}`,
			`  Trigger words: ${words.length ? words.slice(0, 8).join(', ') : 'none'}`,
		].join('\n');
	});
	return {
		title: oneLine(`Characters of ${quote(projectName)} (${characters.length})`, DISCORD_LIMITS.embedTitle),
		description: fitLines(entries, DISCORD_LIMITS.embedDescription, (left) => `…and ${plural(left, 'more character')}`),
	};
}
