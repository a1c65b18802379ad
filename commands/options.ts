import type { SlashCommandSubcommandBuilder } from 'discord.js';

/** The `project` option every project-scoped subcommand shares. */
export function projectOption(builder: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
	return builder.addStringOption((option) =>
		option.setName('project').setDescription('One of your comic projects').setRequired(true).setAutocomplete(true).setMaxLength(100),
	);
}
