import { setTimeout as sleep } from 'node:timers/promises';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, type InteractionUpdateOptions, MessageFlags } from 'discord.js';
import { UserFacingError } from '../../src/comic/errors.ts';
import { type ReaderPage, readerPage } from '../../src/comic/export/reader.ts';
import { withheldNote } from '../../src/comic/takes/safety.ts';
import { quote } from '../../src/comic/names.ts';
import { userText } from '../../src/discord/answerError.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { ButtonHandler } from '../command.ts';
import { encode } from './customId.ts';
import { checkReaderMessage } from './pressedMessage.ts';

/** A page usually renders in well under a second; past this the press is acknowledged first. */
const UPDATE_IN_PLACE_WITHIN_MS = 2_000;

/** The reader message: the page as a file, a counter, and Previous / Next that anyone may press. */
export function readerMessage(projectId: string, shown: ReaderPage): InteractionUpdateOptions & { content: string } {
	// A disabled button still needs an id of its own: 0 and pages + 1 are never opened.
	const previous = new ButtonBuilder()
		.setCustomId(encode('read', [projectId, shown.page > 1 ? shown.page - 1 : 0]))
		.setLabel(shown.rtl ? 'Previous ▶' : '◀ Previous')
		.setStyle(ButtonStyle.Secondary)
		.setDisabled(shown.page <= 1);
	const next = new ButtonBuilder()
		.setCustomId(encode('read', [projectId, shown.page < shown.pages ? shown.page + 1 : shown.pages + 1]))
		.setLabel(shown.rtl ? '◀ Next' : 'Next ▶')
		.setStyle(ButtonStyle.Primary)
		.setDisabled(shown.page >= shown.pages);
	return {
		content: `**${quote(shown.title)}** · Page ${shown.page} of ${shown.pages}${withheldNote(shown.withheld)}`,
		files: [{ attachment: shown.file.data, name: shown.file.name }],
		// Right to left (manga), the next page is on the left: Next comes first.
		components: [new ActionRowBuilder<ButtonBuilder>().addComponents(...(shown.rtl ? [next, previous] : [previous, next]))],
		allowedMentions: NO_MENTIONS,
	};
}

/**
 * Previous / Next of a reader: anyone in the channel may turn the page; the message is updated in place.
 * Everything the press needs is in its custom id, so it works after restarts and long after the
 * `/comic read` interaction's token has expired (each press has a token of its own).
 */
export const readerButtons: ButtonHandler<'read'> = {
	family: 'read',
	async execute(interaction, [projectId, page], deps) {
		// Only the project this message already shows: a forged id cannot turn any message into a reader of any project.
		checkReaderMessage(interaction, projectId);
		// Channel safety: the press's own channel decides, whoever posted the reader.
		const rendering = readerPage(deps.generation, projectId, page, deps.interactionChannels.isAgeRestricted(interaction));
		const quick = await Promise.race([rendering, sleep(UPDATE_IN_PLACE_WITHIN_MS).then(() => undefined)]);
		if (quick) {
			await interaction.update(readerMessage(projectId, quick));
			return;
		}
		await interaction.deferUpdate();
		try {
			await interaction.editReply(readerMessage(projectId, await rendering));
		} catch (error) {
			// The reader message belongs to everyone: a failure is told to the presser alone.
			if (!(error instanceof UserFacingError)) deps.log.warn({ err: error, projectId, page }, 'could not turn the reader page');
			const content = error instanceof UserFacingError ? userText(error) : 'That page could not be shown just now. Try again in a moment.';
			await interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
		}
	},
};
