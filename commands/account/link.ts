import {
	MessageFlags,
	ModalBuilder,
	type ChatInputCommandInteraction,
	type ModalSubmitInteraction,
	type SlashCommandSubcommandBuilder,
	TextInputStyle,
} from 'discord.js';
import { linkKey, NOT_ENABLED } from '../../src/accounts/keys.ts';
import type { AppDeps } from '../../src/deps.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { ModalHandler, Subcommand } from '../command.ts';

/** The modal's custom id; its one text input is `api_key` (the contract). */
export const LINK_MODAL_ID = 'account-link';
export const API_KEY_INPUT = 'api_key';

export function defineLinkAccount(builder: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
	return builder.setName('link').setDescription('Link your own Civitai API key: your panels are then paid with your Buzz');
}

/** The key is asked for in a modal, never as a command option: options are shown in the channel's command line. */
export async function executeLinkAccount(interaction: ChatInputCommandInteraction, deps: AppDeps): Promise<void> {
	if (!deps.accounts.vault) {
		await interaction.reply({ content: NOT_ENABLED, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
		return;
	}
	await interaction.showModal(
		new ModalBuilder()
			.setCustomId(LINK_MODAL_ID)
			.setTitle('Link your Civitai key')
			.addLabelComponents((label) =>
				label
					.setLabel('Civitai API key')
					.setDescription('civitai.com → Account settings → API keys. It is stored encrypted and never shown again.')
					.setTextInputComponent((input) =>
						input.setCustomId(API_KEY_INPUT).setStyle(TextInputStyle.Short).setRequired(true).setMinLength(20).setMaxLength(200),
					),
			),
	);
}

/** The modal's answer: the key is checked with Civitai, then stored sealed; the reply never quotes it. */
export async function submitLinkAccount(interaction: ModalSubmitInteraction, _args: readonly string[], deps: AppDeps): Promise<void> {
	const raw = interaction.fields.getTextInputValue(API_KEY_INPUT);
	// The check is a call to Civitai, which may take longer than Discord's 3 seconds.
	await interaction.deferReply({ flags: MessageFlags.Ephemeral });
	await linkKey(deps.accounts, interaction.user.id, raw);
	await interaction.editReply({
		content: 'Your Civitai key is linked. Your panels are now drawn and paid with it. See `/comic account status`; `/comic account unlink` removes it.',
		allowedMentions: NO_MENTIONS,
	});
}

export const linkAccountCommand: Subcommand = { group: 'account', name: 'link', define: defineLinkAccount, execute: executeLinkAccount };
export const linkAccountModal: ModalHandler = { prefix: LINK_MODAL_ID, execute: submitLinkAccount };
