import { MessageFlags } from 'discord.js';
import { createProject, PROJECT_DESCRIPTION_MAX, PROJECT_NAME_MAX } from '../../src/comic/projects.ts';
import { quote } from '../../src/comic/names.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import type { Subcommand } from '../command.ts';

export const createProjectCommand: Subcommand = {
	group: 'project',
	name: 'create',
	define: (builder) =>
		builder
			.setName('create')
			.setDescription('Start a new comic project')
			.addStringOption((option) =>
				option.setName('name').setDescription('The project name (unique among your projects)').setRequired(true).setMinLength(1).setMaxLength(PROJECT_NAME_MAX),
			)
			.addStringOption((option) => option.setName('description').setDescription('What the comic is about').setMaxLength(PROJECT_DESCRIPTION_MAX)),
	async execute(interaction, deps) {
		const project = await createProject(deps.db, {
			ownerId: interaction.user.id,
			name: interaction.options.getString('name', true),
			description: interaction.options.getString('description'),
		});
		await interaction.reply({
			content: `Created the project **${quote(project.name)}**. Next, give it a character with \`/comic character add\` (a Civitai LoRA link or id).`,
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
};
