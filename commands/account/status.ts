import { type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { keyStatus } from '../../src/accounts/keys.ts';
import type { AppDeps } from '../../src/deps.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import { subcommand } from '../command.ts';
import { accountStatusDefinition } from '../definitions/account/status.ts';
import { buzz, discordTime, panels } from '../usage.ts';

export async function executeAccountStatus(interaction: ChatInputCommandInteraction, deps: AppDeps): Promise<void> {
	const status = await keyStatus(deps.db, interaction.user.id);
	const content = status
		? [
				`Your own Civitai key is linked since ${discordTime(status.linkedAt)}${status.lastUsedAt ? `, last used ${discordTime(status.lastUsedAt)}` : ''}.`,
				`It has paid for ${panels(status.panels)} (${buzz(status.buzz)}) since then.`,
				'`/comic account unlink` removes it.',
			].join('\n')
		: "You have not linked a Civitai key: your panels use the bot's key where the server allows it. Link yours with `/comic account link`.";
	await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

export const accountStatusCommand = subcommand({
	definition: accountStatusDefinition,
	execute: (interaction, _options, deps) => executeAccountStatus(interaction, deps),
});
