import { randomBytes } from 'node:crypto';
import { MessageFlags, type Interaction, type RepliableInteraction } from 'discord.js';
import { UserFacingError } from '../comic/errors.ts';
import type { Log } from '../log.ts';
import { clip, DISCORD_LIMITS } from './fitText.ts';
import { NO_MENTIONS } from './render.ts';

/**
 * The one boundary that turns errors into replies (commands/dispatch.ts calls it for every interaction):
 * a {@link UserFacingError} is shown as is, privately; anything else is logged with its context and
 * shown as a short generic message with a reference id.
 */
export async function answerError(interaction: Interaction, error: unknown, log: Log): Promise<void> {
	if (!interaction.isRepliable()) return;
	if (error instanceof UserFacingError) {
		await refuse(interaction, userText(error), log).catch((replyError: unknown) => log.warn({ err: replyError }, 'could not show an error to the user'));
		return;
	}
	const reference = randomBytes(4).toString('hex');
	log.error({ err: error, reference }, 'interaction failed');
	await tell(interaction, `Something went wrong on the bot's side. If it keeps happening, give the bot's admins this reference: \`${reference}\`.`).catch(
		(replyError: unknown) => log.warn({ err: replyError }, 'could not show an error to the user'),
	);
}

/**
 * Whether a button's or modal's acknowledgement was an update of its message (`deferUpdate`,
 * `update`): then `@original` is that message itself, which an answer must never edit or delete.
 * discord.js leaves `ephemeral` null until a reply of the interaction's own is made.
 */
function acknowledgedByUpdate(interaction: RepliableInteraction): boolean {
	return (interaction.isMessageComponent() || interaction.isModalSubmit()) && (interaction.deferred || interaction.replied) && interaction.ephemeral === null;
}

/** Replies privately, or edits the acknowledgement when there already is one (a follow-up when that is the message pressed). */
async function tell(interaction: RepliableInteraction, text: string): Promise<void> {
	const content = fit(text);
	if (acknowledgedByUpdate(interaction)) await interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
	else if (interaction.deferred || interaction.replied) await interaction.editReply({ content, embeds: [], components: [], allowedMentions: NO_MENTIONS });
	else await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

/**
 * A refusal is private even after a public deferral (a command acknowledged before its checks, in a
 * burst): the public "thinking…" is deleted first, because Discord turns the first follow-up of a
 * deferral still loading into that same public message, whatever its flags.
 */
async function refuse(interaction: RepliableInteraction, text: string, log: Log): Promise<void> {
	if (acknowledgedByUpdate(interaction) || !interaction.deferred || interaction.ephemeral || interaction.replied) return tell(interaction, text);
	try {
		await interaction.deleteReply();
	} catch (error) {
		// Still there: say it in the reply itself rather than leave it "thinking" forever.
		log.warn({ err: error }, 'could not withdraw a public acknowledgement; the refusal is shown in it');
		return tell(interaction, text);
	}
	await interaction.followUp({ content: fit(text), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

/** A refusal as Discord shows it: its moment, if any, as a timestamp each reader sees in their own time zone and language. */
export function userText(error: UserFacingError): string {
	if (!error.when) return error.message;
	return `${error.message} ${error.when.lead} <t:${Math.ceil(error.when.at.getTime() / 1000)}:R>.`;
}

/** A message quoting what the user typed must still fit Discord's 2000 characters. */
function fit(text: string): string {
	return clip(text, DISCORD_LIMITS.content);
}
