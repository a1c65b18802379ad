import type { ButtonInteraction, Interaction, ModalSubmitInteraction } from 'discord.js';
import { UserFacingError } from '../src/comic/errors.ts';
import type { AppDeps } from '../src/deps.ts';
import { answerError } from '../src/discord/answerError.ts';
import { checkModalInputs, checkOptions } from '../src/discord/checkOptions.ts';
import { autocomplete } from './autocomplete.ts';
import { decode, type Decoded, type Family } from './buttons/customId.ts';
import { findDefinition } from './definitions/comic.ts';
import { MAKE_CHARACTER_NAME } from './definitions/makeCharacter.ts';
import { buttons, findSubcommand, modals } from './index.ts';
import { executeMakeCharacter } from './makeCharacter.ts';

/**
 * The one entry for every interaction: what users type and press (and the message command), routed to its handler by
 * subcommand group and name, or by the family of a button's or modal's custom id.
 *
 * It lives in commands/ and not in src/discord/ because routing is nothing but the list of commands:
 * here it reads them directly, and src/discord/ keeps what needs no command (the error boundary,
 * rendering, delivery), so that layer never imports commands/ and no registry object is passed around.
 */
export async function dispatchInteraction(interaction: Interaction, deps: AppDeps, stored?: Promise<unknown>): Promise<void> {
	const log = deps.log.child({ interactionId: interaction.id, userId: interaction.user.id, guildId: interaction.guildId ?? undefined });
	const scoped = { ...deps, log };
	// Every answer the handler (or the error boundary below) gives through this interaction is counted as it is
	// sent, and waits for `stored` (the interaction in the inbox) first.
	deps.ackGate.watch(interaction, stored);
	try {
		if (interaction.isAutocomplete()) {
			await autocomplete(interaction, deps).catch(async (error: unknown) => {
				log.warn({ err: error }, 'autocomplete failed');
				if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
			});
			return;
		}
		if (interaction.isChatInputCommand()) {
			const group = interaction.options.getSubcommandGroup(false);
			// An old registration (another command name, or `/comic` without a subcommand) still gets an answer.
			const name = interaction.commandName === 'comic' ? interaction.options.getSubcommand(false) : null;
			const definition = name === null ? undefined : findDefinition(group, name);
			const command = definition && findSubcommand(definition);
			if (!command || !definition)
				throw new UserFacingError('That command is not known to this version of the bot. Its commands may need to be deployed again.');
			checkOptions(definition, interaction);
			await command.execute(interaction, scoped);
			return;
		}
		if (interaction.isMessageContextMenuCommand()) {
			// The one message command; another name is an old registration.
			if (interaction.commandName !== MAKE_CHARACTER_NAME)
				throw new UserFacingError('That command is not known to this version of the bot. Its commands may need to be deployed again.');
			await executeMakeCharacter(interaction, scoped);
			return;
		}
		if (interaction.isButton()) {
			const decoded = decode(interaction.customId);
			// A button of an older version of the bot: say so rather than let Discord show "interaction failed".
			if (!decoded || !(await press(decoded, interaction, scoped))) throw new UserFacingError('This button no longer works. Run the command again.');
			return;
		}
		if (interaction.isModalSubmit()) {
			const decoded = decode(interaction.customId);
			if (!decoded || !(await submit(decoded, interaction, scoped))) throw new UserFacingError('This form no longer works. Run the command again.');
		}
	} catch (error) {
		await answerError(interaction, error, log);
	}
}

/** Runs the button handler of the decoded family; false when no button of that family exists. */
async function press<F extends Family>(decoded: Decoded<F>, interaction: ButtonInteraction, deps: AppDeps): Promise<boolean> {
	const handler = buttons[decoded.family];
	if (!handler) return false;
	await handler.execute(interaction, decoded.args, deps);
	return true;
}

/** Runs the modal handler of the decoded family; false when no modal of that family exists. */
async function submit<F extends Family>(decoded: Decoded<F>, interaction: ModalSubmitInteraction, deps: AppDeps): Promise<boolean> {
	const handler = modals[decoded.family];
	if (!handler) return false;
	checkModalInputs(interaction, handler.inputs ?? []);
	await handler.execute(interaction, decoded.args, deps);
	return true;
}
