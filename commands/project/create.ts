import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import { readSettings } from '../../src/accounts/settings.ts';
import { UserFacingError } from '../../src/comic/errors.ts';
import { hasRole } from '../../src/discord/actor.ts';
import { createProject } from '../../src/comic/projects.ts';
import { quote } from '../../src/comic/names.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { Subcommand } from '../command.ts';

export const createProjectCommand: Subcommand = {
	group: 'project',
	name: 'create',
	async execute(interaction, deps) {
		const server = interaction.options.getBoolean('server') === true;
		const guildId = server ? await serverToCreateIn(interaction, deps) : null;
		const project = await createProject(
			deps.db,
			{
				ownerId: interaction.user.id,
				name: interaction.options.getString('name', true),
				description: interaction.options.getString('description'),
				guildId,
			},
			deps.config.MAX_PROJECTS_PER_USER,
		);
		const everyone = guildId ? " It is this server's comic: every member may draw in it, under their own limits." : '';
		await interaction.reply({
			content: `Created the project **${quote(project.name)}**.${everyone} Next, give it a character with \`/comic character add\` (a Civitai LoRA link or id).`,
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
};

/**
 * A server's comic is made by members who may manage the server (Manage Server, as Discord computed it for
 * this interaction) or who have the role named in `/comic settings comic_role`; checked on every use.
 */
async function serverToCreateIn(interaction: Parameters<Subcommand['execute']>[0], deps: Parameters<Subcommand['execute']>[1]): Promise<string> {
	const guildId = interaction.guildId;
	if (!guildId) throw new UserFacingError("A server's comic belongs to a server: run `/comic project create server:true` in that server.");
	if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return guildId;
	const { comicRoleId } = await readSettings(deps.db, guildId);
	if (comicRoleId && (comicRoleId === guildId || hasRole(interaction, comicRoleId))) return guildId;
	throw new UserFacingError(
		`Only members who may manage this server (Manage Server)${comicRoleId ? ` or have the <@&${comicRoleId}> role` : ''} can create the server's comics. Leave \`server\` out to create a project of your own.`,
	);
}
