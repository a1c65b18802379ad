import { type ChatInputCommandInteraction, MessageFlags, ModalBuilder, type ModalSubmitInteraction, TextInputStyle } from 'discord.js';
import { linkKey, NOT_ENABLED } from '../../src/accounts/keys.ts';
import type { AppDeps } from '../../src/deps.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import { encode } from '../buttons/customId.ts';
import { type ModalHandler, subcommand } from '../command.ts';
import { linkAccountDefinition } from '../definitions/account/link.ts';

/** The modal's one text input (the contract); the modal itself is the `account-link` family of ../buttons/customId.ts. */
export const API_KEY_INPUT = 'api_key';

/** The key is asked for in a modal, never as a command option: options are shown in the channel's command line. */
export async function executeLinkAccount(interaction: ChatInputCommandInteraction, deps: AppDeps): Promise<void> {
	if (!deps.accounts.vault) {
		await interaction.reply({ content: NOT_ENABLED, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
		return;
	}
	await interaction.showModal(
		new ModalBuilder()
			.setCustomId(encode('account-link', []))
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
export async function submitLinkAccount(interaction: ModalSubmitInteraction, _args: readonly [], deps: AppDeps): Promise<void> {
	const raw = interaction.fields.getTextInputValue(API_KEY_INPUT);
	// The check is a call to Civitai, which may take longer than Discord's 3 seconds.
	await interaction.deferReply({ flags: MessageFlags.Ephemeral });
	await linkKey(deps.accounts, interaction.user.id, raw);
	await interaction.editReply({
		content: 'Your Civitai key is linked. Your panels are now drawn and paid with it. See `/comic account status`; `/comic account unlink` removes it.',
		allowedMentions: NO_MENTIONS,
	});
}

export const linkAccountCommand = subcommand({
	definition: linkAccountDefinition,
	execute: (interaction, _options, deps) => executeLinkAccount(interaction, deps),
});
export const linkAccountModal: ModalHandler<'account-link'> = { family: 'account-link', inputs: [API_KEY_INPUT], execute: submitLinkAccount };
