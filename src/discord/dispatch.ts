import { randomBytes } from 'node:crypto';
import { MessageFlags, type Interaction, type RepliableInteraction } from 'discord.js';
import { autocomplete } from '../../commands/autocomplete.ts';
import { buttons, findSubcommand, modals } from '../../commands/index.ts';
import { UserFacingError } from '../comic/errors.ts';
import type { AppDeps } from '../deps.ts';
import type { Log } from '../log.ts';
import { checkTextOptions } from './checkOptions.ts';
import { clip, DISCORD_LIMITS } from './fitText.ts';
import { NO_MENTIONS } from './render.ts';

/**
 * The one entry for every interaction, and the one boundary that turns errors into replies:
 * a {@link UserFacingError} is shown as is, privately; anything else is logged with its context
 * and shown as a short generic message with a reference id.
 */
export async function dispatchInteraction(interaction: Interaction, deps: AppDeps): Promise<void> {
	const log = deps.log.child({ interactionId: interaction.id, userId: interaction.user.id, guildId: interaction.guildId ?? undefined });
	try {
		if (interaction.isAutocomplete()) {
			await autocomplete(interaction, deps).catch(async (error: unknown) => {
				log.warn({ err: error }, 'autocomplete failed');
				if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
			});
			return;
		}
		if (interaction.isChatInputCommand()) {
			if (interaction.commandName !== 'comic') return;
			const command = findSubcommand(interaction.options.getSubcommandGroup(false), interaction.options.getSubcommand(true));
			if (!command) throw new UserFacingError('That command is not known to this version of the bot. Its commands may need to be deployed again.');
			checkTextOptions(command, interaction);
			await command.execute(interaction, { ...deps, log });
			return;
		}
		if (interaction.isButton()) {
			const [prefix = '', ...args] = interaction.customId.split(':');
			const handler = buttons.find((button) => button.prefix === prefix);
			// A button of an older version of the bot: say so rather than let Discord show "interaction failed".
			if (!handler) throw new UserFacingError('This button no longer works. Run the command again.');
			await handler.execute(interaction, args, { ...deps, log });
			return;
		}
		if (interaction.isModalSubmit()) {
			const [prefix = '', ...args] = interaction.customId.split(':');
			const handler = modals.find((modal) => modal.prefix === prefix);
			if (!handler) throw new UserFacingError('This form no longer works. Run the command again.');
			await handler.execute(interaction, args, { ...deps, log });
		}
	} catch (error) {
		if (!interaction.isRepliable()) return;
		if (error instanceof UserFacingError) {
			await refuse(interaction, error.message, log).catch((replyError: unknown) => log.warn({ err: replyError }, 'could not show an error to the user'));
			return;
		}
		const reference = randomBytes(4).toString('hex');
		log.error({ err: error, reference }, 'interaction failed');
		await tell(interaction, `Something went wrong on the bot's side. If it keeps happening, give the bot's admins this reference: \`${reference}\`.`).catch(
			(replyError: unknown) => log.warn({ err: replyError }, 'could not show an error to the user'),
		);
	}
}

/** Replies privately, or edits the acknowledgement when there already is one. */
async function tell(interaction: RepliableInteraction, text: string): Promise<void> {
	const content = fit(text);
	if (interaction.deferred || interaction.replied) await interaction.editReply({ content, embeds: [], components: [], allowedMentions: NO_MENTIONS });
	else await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

/**
 * A refusal is private even after a public deferral (a command acknowledged before its checks, in a
 * burst): the public "thinking…" is deleted first, because Discord turns the first follow-up of a
 * deferral still loading into that same public message, whatever its flags.
 */
async function refuse(interaction: RepliableInteraction, text: string, log: Log): Promise<void> {
	if (!interaction.deferred || interaction.ephemeral || interaction.replied) return tell(interaction, text);
	try {
		await interaction.deleteReply();
	} catch (error) {
		// Still there: say it in the reply itself rather than leave it "thinking" forever.
		log.warn({ err: error }, 'could not withdraw a public acknowledgement; the refusal is shown in it');
		return tell(interaction, text);
	}
	await interaction.followUp({ content: fit(text), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

/** A message quoting what the user typed must still fit Discord's 2000 characters. */
function fit(text: string): string {
	return clip(text, DISCORD_LIMITS.content);
}
