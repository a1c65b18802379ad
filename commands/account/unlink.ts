import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { unlinkKey } from '../../src/accounts/keys.ts';
import type { AppDeps } from '../../src/deps.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import { subcommand } from '../command.ts';
import { unlinkAccountDefinition } from '../definitions/account/unlink.ts';

export async function executeUnlinkAccount(interaction: ChatInputCommandInteraction, deps: AppDeps): Promise<void> {
	const removed = await unlinkKey(deps.db, interaction.user.id);
	const content = removed
		? "Your Civitai key is deleted from the bot. New panels use the bot's key where the server allows it."
		: 'You have no linked Civitai key, so there was nothing to delete.';
	await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

export const unlinkAccountCommand = subcommand({
	definition: unlinkAccountDefinition,
	execute: (interaction, _options, deps) => executeUnlinkAccount(interaction, deps),
});
