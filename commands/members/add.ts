import { MessageFlags } from 'discord.js';
import { UserFacingError } from '../../src/comic/errors.ts';
import { addMember } from '../../src/comic/members.ts';
import { quote } from '../../src/comic/names.ts';
import { actorOf } from '../../src/discord/actor.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { Subcommand } from '../command.ts';

export const addMemberCommand: Subcommand = {
	group: 'members',
	name: 'add',
	async execute(interaction, deps) {
		const user = interaction.options.getUser('user', true);
		if (user.bot) throw new UserFacingError('Bots cannot be members of a project. Choose a person.');
		const role = interaction.options.getString('role') === 'viewer' ? 'viewer' : 'editor';
		const { project, before } = await addMember(deps.db, actorOf(interaction), interaction.options.getString('project', true), user.id, role);
		const was = before === null || before === role ? '' : before === 'removed' ? ' (their access is back)' : ` (was ${before})`;
		const what = role === 'editor' ? 'may draw panels, letter and move them, and run stories in it' : 'may show, read and export it';
		await interaction.reply({
			content: `<@${user.id}> is now ${role === 'editor' ? 'an editor' : 'a viewer'} of **${quote(project.name)}**${was}: they ${what}. Their drawings count against their own limits and are paid with their own key, or the bot's.`,
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
};
