import { MessageFlags } from 'discord.js';
import { quote } from '../../src/comic/names.ts';
import { listOwnProjects } from '../../src/comic/projects.ts';
import { DISCORD_LIMITS, fitLines, oneLine, plural } from '../../src/discord/fitText.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import { subcommand } from '../command.ts';
import { listProjectsDefinition } from '../definitions/project/list.ts';

export const listProjectsCommand = subcommand({
	definition: listProjectsDefinition,
	async execute(interaction, _options, deps) {
		const projects = await listOwnProjects(deps.db, interaction.user.id);
		await interaction.reply({ content: renderProjectList(projects), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
	},
});

type ProjectRow = Awaited<ReturnType<typeof listOwnProjects>>[number];

function renderProjectList(projects: readonly ProjectRow[]): string {
	if (projects.length === 0) return 'You have no comic projects yet. Start one with `/comic project create`.';
	const heading = `**Your comic projects** (${projects.length})`;
	const lines = projects.map(
		(project) => `• **${quote(oneLine(project.name, 100))}**: ${plural(project._count.characters, 'character')}, ${plural(project._count.panels, 'panel')}`,
	);
	const footer = 'See one with `/comic project show`.';
	const body = fitLines(lines, DISCORD_LIMITS.content - heading.length - footer.length - 2, (left) => `…and ${left} more`);
	return `${heading}\n${body}\n${footer}`;
}
