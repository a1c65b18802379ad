import { type ChatInputCommandInteraction, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { topUsers, type Usage, usageOf } from '../src/accounts/usage.ts';
import { UserFacingError } from '../src/comic/errors.ts';
import type { AppDeps } from '../src/deps.ts';
import { plural } from '../src/discord/fitText.ts';
import { NO_MENTIONS } from '../src/discord/render.ts';
import { subcommand } from './command.ts';
import { usageDefinition } from './definitions/usage.ts';
import type { OptionsOf } from './options.ts';

/** Your own usage everywhere; admins also see the server's totals and top members, or one member's usage on this server. */
export async function executeUsage(interaction: ChatInputCommandInteraction, options: OptionsOf<typeof usageDefinition>, deps: AppDeps): Promise<void> {
	const guildId = interaction.guildId;
	const admin = guildId !== null && interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) === true;
	const target = options.user;
	let content: string;
	if (target && target.id !== interaction.user.id) {
		if (!guildId) throw new UserFacingError("Another member's usage can only be shown in a server: run `/comic usage user:` there.");
		if (!admin) throw new UserFacingError("Only members who may manage this server (Manage Server) can see another member's usage.");
		const usage = await usageOf(deps.db, { userId: target.id, guildId });
		content =
			usage.month.panels === 0
				? `<@${target.id}> has drawn no panels on this server in the last 30 days.`
				: `**<@${target.id}> on this server**\n${renderUsage(usage)}`;
	} else {
		const usage = await usageOf(deps.db, { userId: interaction.user.id });
		content = usage.month.panels === 0 ? 'You have drawn no panels in the last 30 days.' : `**Your usage**\n${renderUsage(usage)}`;
		if (admin && guildId) content += `\n\n${await renderServer(deps, guildId)}`;
	}
	await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

async function renderServer(deps: AppDeps, guildId: string): Promise<string> {
	const [usage, top] = await Promise.all([usageOf(deps.db, { guildId }), topUsers(deps.db, guildId)]);
	if (usage.month.panels === 0) return '**This server**: no panels in the last 30 days.';
	const lines = top.map((user, index) => `${index + 1}. <@${user.userId}>: ${panels(user.panels)}, ${buzz(user.buzz)}`);
	return `**This server**\n${renderUsage(usage)}\n**Top members, last 30 days**\n${lines.join('\n')}`;
}

function renderUsage(usage: Usage): string {
	return [
		`• last 24 hours: ${panels(usage.day.panels)}, ${buzz(usage.day.buzz)}`,
		`• last 30 days: ${panels(usage.month.panels)}, ${buzz(usage.month.buzz)}`,
	].join('\n');
}

export function panels(count: number): string {
	return plural(count, 'panel');
}

export function buzz(amount: number): string {
	return `${Math.round(amount * 10) / 10} Buzz`;
}

/** Shown in each reader's own time zone and language. */
export function discordTime(date: Date): string {
	return `<t:${Math.floor(date.getTime() / 1000)}:R>`;
}

export const usageCommand = subcommand({ definition: usageDefinition, execute: executeUsage });
