import { MessageFlags } from 'discord.js';
import { createProject } from '../../src/comic/projects.ts';
import { quote } from '../../src/comic/names.ts';
import { NO_MENTIONS } from '../../src/discord/render.ts';
import { subcommand } from '../command.ts';
import { createProjectDefinition } from '../definitions/project/create.ts';

export const createProjectCommand = subcommand({
	definition: createProjectDefinition,
	async execute(interaction, options, deps) {
		const project = await createProject(
			deps.db,
			{
				ownerId: interaction.user.id,
				name: options.name,
				description: options.description,
			},
			deps.config.MAX_PROJECTS_PER_USER,
		);
		await interaction.reply({
			content: `Created the project **${quote(project.name)}**. Next, give it a character with \`/comic character add\` (a Civitai LoRA link or id).`,
			flags: MessageFlags.Ephemeral,
			allowedMentions: NO_MENTIONS,
		});
	},
});
