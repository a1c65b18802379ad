import { MessageFlags } from 'discord.js';
import { UserFacingError } from '../../src/comic/errors.ts';
import { addMember } from '../../src/comic/members.ts';
import { quote } from '../../src/comic/names.ts';
import { actorOf } from '../../src/discord/actor.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import { subcommand } from '../command.ts';
import { addMemberDefinition } from '../definitions/members/add.ts';

export const addMemberCommand = subcommand({
	definition: addMemberDefinition,
	async execute(interaction, options, deps) {
		const user = options.user;
		// The user comes from the payload's resolved block, which another client may leave out.
		if (!user) throw new UserFacingError('That member could not be read from the command. Choose them again from the list and try again.');
		if (user.bot) throw new UserFacingError('Bots cannot be members of a project. Choose a person.');
		const role = options.role === 'viewer' ? 'viewer' : 'editor';
		const { project, before } = await addMember(deps.db, actorOf(interaction), options.project, user.id, role);
		const was = before === null || before === role ? '' : before === 'removed' ? ' (their access is back)' : ` (was ${before})`;
		const what = role === 'editor' ? 'may draw panels, letter and move them, and run stories in it' : 'may show, read and export it';
		await interaction.reply({
			content: `<@${user.id}> is now ${role === 'editor' ? 'an editor' : 'a viewer'} of **${quote(project.name)}**${was}: they ${what}. Their drawings count against their own limits and are paid with their own key, or the bot's.`,
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
});
