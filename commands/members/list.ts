import { MessageFlags } from 'discord.js';
import { listMembers } from '../../src/comic/members.ts';
import { quote } from '../../src/comic/names.ts';
import { actorOf } from '../../src/discord/actor.ts';
import { DISCORD_LIMITS, fitLines } from '../../src/discord/fitText.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { Subcommand } from '../command.ts';

export const listMembersCommand: Subcommand = {
	group: 'members',
	name: 'list',
	async execute(interaction, deps) {
		const { project, members } = await listMembers(deps.db, actorOf(interaction), interaction.options.getString('project', true));
		const server = project.guildId !== null;
		const heading = `**${quote(project.name)}**: owned by <@${project.ownerId}>${server ? ". A server's comic: every member of this server may draw in it" : ''}.`;
		const word: Record<string, string> = { editor: 'editor: may draw', viewer: 'viewer: may read', removed: 'removed: no access' };
		const lines = members.map(({ userId, role }) => `• <@${userId}> · ${word[role] ?? role}`);
		const body = lines.length
			? fitLines(lines, DISCORD_LIMITS.content - heading.length - 20, (left) => `…and ${left} more`)
			: server
				? ''
				: 'No members yet: add one with `/comic members add`.';
		// Mentions name people without pinging them (NO_MENTIONS).
		await interaction.reply({ content: `${heading}\n${body}`.trim(), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
	},
};
