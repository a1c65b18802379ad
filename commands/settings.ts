import { type ChatInputCommandInteraction, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { CONFIRM_ABOVE_DEFAULT, readSettings, type ServerSettings, type SettingsChange, updateSettings } from '../src/accounts/settings.ts';
import { UserFacingError } from '../src/comic/errors.ts';
import type { AppDeps } from '../src/deps.ts';
import { NO_MENTIONS } from '../src/discord/render.ts';
import { subcommand } from './command.ts';
import { settingsDefinition } from './definitions/settings.ts';
import type { OptionsOf } from './options.ts';

export const NOT_ADMIN = 'Only members who may manage this server (Manage Server) can change its settings.';
export const NOT_IN_SERVER = 'Settings belong to a server: run `/comic settings` in the server whose settings you want to see or change.';

/**
 * Discord's `default_member_permissions` applies to a whole top-level command, and `/comic` is one
 * command with subcommands, so it cannot hide `settings` alone from members: the permission is
 * checked here, on every use (an admin can also restrict the subcommand in Server Settings → Integrations).
 */
export async function executeSettings(interaction: ChatInputCommandInteraction, options: OptionsOf<typeof settingsDefinition>, deps: AppDeps): Promise<void> {
	const guildId = interaction.guildId;
	if (!guildId) throw new UserFacingError(NOT_IN_SERVER);
	if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) throw new UserFacingError(NOT_ADMIN);
	const change = settingsChange(interaction, options);
	const changed = Object.keys(change).length > 0;
	const settings = changed ? await updateSettings(deps.db, guildId, interaction.user.id, change) : await readSettings(deps.db, guildId);
	if (changed) deps.log.info({ guildId, change }, 'server settings changed');
	await interaction.reply({ content: renderSettings(settings, deps, changed), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

function settingsChange(interaction: ChatInputCommandInteraction, options: OptionsOf<typeof settingsDefinition>): SettingsChange {
	const sharedKey = options.shared_key;
	const serverDailyLimit = options.server_daily_limit;
	const userDailyLimit = options.user_daily_limit;
	const enhanceDefault = options.enhance_default;
	const confirmAbove = options.confirm_above;
	const userDailyBuzz = options.user_daily_buzz;
	const serverDailyBuzz = options.server_daily_buzz;
	// The role's id as sent (checked as a snowflake by checkOptions); no cached Role object is needed.
	const comicRole = interaction.options.get('comic_role')?.value;
	const clearRole = options.clear_comic_role === true;
	if (clearRole && typeof comicRole === 'string')
		throw new UserFacingError('Give `comic_role` to set the role, or `clear_comic_role:true` to remove it, not both. Nothing was changed.');
	return {
		...(confirmAbove === null ? {} : { confirmAbove }),
		...(typeof comicRole === 'string' ? { comicRoleId: comicRole } : {}),
		...(clearRole ? { comicRoleId: null } : {}),
		...(userDailyBuzz === null ? {} : { userDailyBuzz }),
		...(serverDailyBuzz === null ? {} : { serverDailyBuzz }),
		...(sharedKey === null ? {} : { sharedKey }),
		...(serverDailyLimit === null ? {} : { serverDailyLimit }),
		...(userDailyLimit === null ? {} : { userDailyLimit }),
		...(enhanceDefault === null ? {} : { enhanceDefault }),
	};
}

function renderSettings(settings: ServerSettings, deps: AppDeps, changed: boolean): string {
	const { perUserPerDay, perGuildPerDay, buzzPerUserPerDay, buzzPerGuildPerDay } = deps.limits;
	const botCaps = [
		`at most ${perUserPerDay} panels per member${perGuildPerDay === undefined ? '' : ` and ${perGuildPerDay} for the server`}`,
		buzzPerUserPerDay === undefined ? '' : `${buzzPerUserPerDay} Buzz per member`,
		buzzPerGuildPerDay === undefined ? '' : `${buzzPerGuildPerDay} Buzz for the server`,
	]
		.filter(Boolean)
		.join(', ');
	return [
		changed ? '**Saved.** The new settings apply at once.' : "**This server's settings**",
		`• \`shared_key\`: ${settings.sharedKey ? "on: members without their own key may use the bot's key" : 'off: members must link their own key (`/comic account link`)'}`,
		`• \`server_daily_limit\`: ${settings.serverDailyLimit ? `${settings.serverDailyLimit} panels per day` : 'none'}`,
		`• \`user_daily_limit\`: ${settings.userDailyLimit ? `${settings.userDailyLimit} panels per member per day` : `the bot's default (${perUserPerDay})`}`,
		`• \`user_daily_buzz\`: ${settings.userDailyBuzz ? `${settings.userDailyBuzz} Buzz per member per day` : 'none'}`,
		`• \`server_daily_buzz\`: ${settings.serverDailyBuzz ? `${settings.serverDailyBuzz} Buzz per day` : 'none'}`,
		`• \`enhance_default\`: ${settings.enhanceDefault ? 'on' : 'off'}`,
		`• \`confirm_above\`: ${settings.confirmAbove ?? CONFIRM_ABOVE_DEFAULT} Buzz: panels estimated above it ask first${settings.confirmAbove === null ? ' (the default)' : ''}`,
		`• \`comic_role\`: ${settings.comicRoleId ? `<@&${settings.comicRoleId}> may create the server's comics (\`/comic project create server:true\`), as may Manage Server` : "none: only Manage Server may create the server's comics"}`,
		`With the bot's own key, the bot's daily caps still apply (${botCaps}).`,
		settings.updatedBy && settings.updatedAt ? `Last changed by <@${settings.updatedBy}> <t:${Math.floor(settings.updatedAt.getTime() / 1000)}:R>.` : '',
	]
		.filter(Boolean)
		.join('\n');
}

export const settingsCommand = subcommand({ definition: settingsDefinition, execute: executeSettings });
