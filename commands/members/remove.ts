import { MessageFlags } from 'discord.js';
import { removeMember } from '../../src/comic/members.ts';
import { quote } from '../../src/comic/names.ts';
import { actorOf } from '../../src/discord/actor.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { Subcommand } from '../command.ts';

export const removeMemberCommand: Subcommand = {
	group: 'members',
	name: 'remove',
	async execute(interaction, deps) {
		const user = interaction.options.getUser('user', true);
		const { project } = await removeMember(deps.db, actorOf(interaction), interaction.options.getString('project', true), user.id);
		await interaction.reply({
			content: `<@${user.id}> no longer has access to **${quote(project.name)}**. The panels they drew stay in it.`,
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
};
