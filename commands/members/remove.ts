import { MessageFlags } from 'discord.js';
import { UserFacingError } from '../../src/comic/errors.ts';
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
		// The user comes from the payload's resolved block, which another client may leave out.
		if (!user) throw new UserFacingError('That member could not be read from the command. Choose them again from the list and try again.');
		const { project } = await removeMember(deps.db, actorOf(interaction), options.project, user.id);
		await interaction.reply({
			content: `<@${user.id}> no longer has access to **${quote(project.name)}**. The panels they drew stay in it.`,
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
});
