import { InteractionContextType, SlashCommandBuilder, SlashCommandSubcommandBuilder, SlashCommandSubcommandGroupBuilder } from 'discord.js';
import { subcommands } from './index.ts';

const GROUP_DESCRIPTIONS = { project: 'Your comic projects', character: 'The characters of a project', account: 'Your own Civitai key' } as const;

/** The `/comic` command as Discord receives it (used by deploy-commands). */
export function comicCommand() {
	const command = new SlashCommandBuilder()
		.setName('comic')
		.setDescription('Draw comics with consistent characters')
		.setContexts(InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel);
	const groups = new Map<string, SlashCommandSubcommandGroupBuilder>();
	for (const sub of subcommands) {
		if (!sub.group) {
			command.addSubcommand((builder) => sub.define(builder));
			continue;
		}
		let group = groups.get(sub.group);
		if (!group) {
			group = new SlashCommandSubcommandGroupBuilder().setName(sub.group).setDescription(GROUP_DESCRIPTIONS[sub.group]);
			groups.set(sub.group, group);
			command.addSubcommandGroup(group);
		}
		group.addSubcommand(sub.define(new SlashCommandSubcommandBuilder()));
	}
	return command.toJSON();
}
