import { actorOf } from '../../src/discord/actor.ts';
import { MessageFlags, type APIEmbed } from 'discord.js';
import { trainedWordsOf } from '../../src/comic/characters.ts';
import { quote } from '../../src/comic/names.ts';
import { readingLabel } from '../../src/comic/editProject.ts';
import { projectContactSheet } from '../../src/comic/export/projectContactSheet.ts';
import { withheldNote } from '../../src/comic/takes/safety.ts';
import { projectOverview, type ProjectOverview } from '../../src/comic/projectOverview.ts';
import { clip, DISCORD_LIMITS, fitLines, lastLinesThatFit, oneLine } from '../../src/discord/fitText.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import { thumbnailsOf } from '../../src/comic/pictures/pictureCharacters.ts';
import { thumbnailEmbeds } from '../character/list.ts';
import { subcommand } from '../command.ts';
import { showProjectDefinition } from '../definitions/project/show.ts';

export const showProjectCommand = subcommand({
	definition: showProjectDefinition,
	async execute(interaction, options, deps) {
		const overview = await projectOverview(deps.db, actorOf(interaction), options.project);
		const embed = renderOverview(overview);
		// Characters made from pictures (or given some) are shown with a thumbnail of their first one.
		const thumbnails = await thumbnailsOf(
			deps.db,
			overview.characters.map((character) => character.id),
			deps.interactionChannels.isAgeRestricted(interaction),
		);
		const pictured = thumbnailEmbeds(overview.characters, thumbnails);
		if (overview.totals.ready === 0) {
			await interaction.reply({ embeds: [embed, ...pictured.embeds], files: pictured.files, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
			return;
		}
		// Numbered thumbnails of the ready panels: a moment of libvips work, so the reply is deferred.
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const { sheet, withheld } = await projectContactSheet(deps.generation, overview.project.id, deps.interactionChannels.isAgeRestricted(interaction));
		const content = withheldNote(withheld).trim();
		if (!sheet) {
			await interaction.editReply({ content, embeds: [embed, ...pictured.embeds], files: pictured.files, allowedMentions: NO_MENTIONS });
			return;
		}
		embed.image = { url: `attachment://${CONTACT_SHEET_NAME}` };
		await interaction.editReply({
			content,
			embeds: [embed, ...pictured.embeds],
			files: [{ attachment: sheet.data, name: CONTACT_SHEET_NAME }, ...pictured.files],
			allowedMentions: NO_MENTIONS,
		});
	},
});

const CONTACT_SHEET_NAME = 'panels.jpg';
const STATES = ['waiting', 'queued', 'generating', 'ready', 'failed'] as const;
const STATE_LABEL = { waiting: '⏸️ waiting', queued: '⏳ queued', generating: '🎨 generating', ready: '✅ ready', failed: '❌ failed' } as const;

function renderOverview({ project, characters, panels, panelCount, totals }: ProjectOverview): APIEmbed {
	const intro = project.description ? `${quote(clip(project.description, 600))}\n\n` : '';

	const characterLines = characters.map((character) => {
		const words = trainedWordsOf(character).map((word) => `\`${oneLine(word, 40).replace(/`/g, "'")}\``);
		const trigger = words.length ? `trigger words ${words.slice(0, 6).join(', ')}` : 'no trigger words';
		if (!character.lora)
			return `• **${quote(oneLine(character.name, 60))}** · from pictures${character.description ? ` · ${quote(oneLine(character.description, 60))}` : ''}`;
		return `• **${quote(oneLine(character.name, 60))}** · ${quote(oneLine(character.baseModel, 40))} · ${trigger}`;
	});
	const characterSection = characters.length
		? `**Characters** (${characters.length})\n${fitLines(characterLines, 1200, (left) => `…and ${left} more: see \`/comic character list\``)}`
		: '**Characters**: none yet. Add one with `/comic character add`.';

	const panelLines = panels.map((panel) => {
		const who = panel.character ? quote(oneLine(panel.character.name, 40)) : '(character removed)';
		const link = panel.messageId ? ` · [open](https://discord.com/channels/${panel.guildId ?? '@me'}/${panel.channelId}/${panel.messageId})` : '';
		const take = panel.chosenTake !== null && panel.chosenTake > 1 ? ` · take ${panel.chosenTake}` : '';
		// Who drew it, as a mention: it names them and pings nobody (NO_MENTIONS, and embeds never ping).
		return `\`#${panel.number}\` ${STATE_LABEL[panel.status]}${take} · ${who} · by <@${panel.ownerId}> · ${quote(oneLine(panel.prompt, 80))}${link}`;
	});
	// Oldest first, as a comic reads; when the list is long the newest panels are the ones kept.
	const shownLines = lastLinesThatFit(panelLines, DISCORD_LIMITS.embedDescription - intro.length - characterSection.length - 200);
	const summary = STATES.filter((state) => totals[state] > 0)
		.map((state) => `${totals[state]} ${state}`)
		.join(', ');
	const shown = panelCount > shownLines.length ? `; the last ${shownLines.length} are shown` : '';
	const panelSection = panelCount
		? `**Panels** (${panelCount}: ${summary}${shown})\n${shownLines.join('\n')}`
		: '**Panels**: none yet. Draw one with `/comic panel`.';

	return {
		title: quote(oneLine(project.name, DISCORD_LIMITS.embedTitle)).slice(0, DISCORD_LIMITS.embedTitle),
		description: clip(`${intro}${characterSection}\n\n${panelSection}`, DISCORD_LIMITS.embedDescription),
		fields: [{ name: 'Reading', value: readingLabel(project.reading), inline: true }],
	};
}
