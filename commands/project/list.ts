import { MessageFlags } from 'discord.js';
import { quote } from '../../src/comic/names.ts';
import { roleLabel } from '../../src/comic/access.ts';
import { listProjects } from '../../src/comic/projects.ts';
import { actorOf } from '../../src/discord/actor.ts';
import { DISCORD_LIMITS, fitLines, oneLine, plural } from '../../src/discord/fitText.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { Subcommand } from '../command.ts';

export const listProjectsCommand: Subcommand = {
	group: 'project',
	name: 'list',
	async execute(interaction, deps) {
		const projects = await listProjects(deps.db, actorOf(interaction));
		await interaction.reply({ content: renderProjectList(projects), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
	},
};

type ProjectRow = Awaited<ReturnType<typeof listProjects>>[number];

function renderProjectList(projects: readonly ProjectRow[]): string {
	if (projects.length === 0) return 'You have no comic projects yet. Start one with `/comic project create`.';
	const heading = `**Your comic projects** (${projects.length})`;
	// Yours first; then those you are a member of, and this server's, each with what you may do there.
	const lines = projects.map((project) => {
		const role = project.role === 'owner' ? '' : ` · ${project.guildId ? "this server's, " : ''}${roleLabel(project.role)}`;
		return `• **${quote(oneLine(project.name, 100))}**${role}: ${plural(project._count.characters, 'character')}, ${plural(project._count.panels, 'panel')}`;
	});
	const footer = 'See one with `/comic project show`.';
	const body = fitLines(lines, DISCORD_LIMITS.content - heading.length - footer.length - 2, (left) => `…and ${left} more`);
	return `${heading}\n${body}\n${footer}`;
}
