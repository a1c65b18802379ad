import { MessageFlags } from 'discord.js';
import { removeMember } from '../../src/comic/members.ts';
import { quote } from '../../src/comic/names.ts';
import { actorOf } from '../../src/discord/actor.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import { subcommand } from '../command.ts';
import { removeMemberDefinition } from '../definitions/members/remove.ts';

export const removeMemberCommand = subcommand({
	definition: removeMemberDefinition,
	async execute(interaction, options, deps) {
		const user = options.user;
		const { project } = await removeMember(deps.db, actorOf(interaction), options.project, user.id);
		await interaction.reply({
			content: `<@${user.id}> no longer has access to **${quote(project.name)}**. The panels they drew stay in it.`,
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
});
