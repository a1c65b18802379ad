import type {
	APIApplicationCommandSubcommandGroupOption,
	APIApplicationCommandSubcommandOption,
	RESTPostAPIChatInputApplicationCommandsJSONBody,
	RESTPutAPIApplicationCommandsJSONBody,
	RESTPutAPIApplicationGuildCommandsJSONBody,
} from 'discord.js';
import { linkAccountDefinition } from './account/link.ts';
import { accountStatusDefinition } from './account/status.ts';
import { unlinkAccountDefinition } from './account/unlink.ts';
import { addCharacterDefinition } from './character/add.ts';
import { characterPicturesDefinition } from './character/pictures.ts';
import { listCharactersDefinition } from './character/list.ts';
import { removeCharacterDefinition } from './character/remove.ts';
import { exportDefinition } from './export.ts';
import { addMemberDefinition } from './members/add.ts';
import { listMembersDefinition } from './members/list.ts';
import { removeMemberDefinition } from './members/remove.ts';
import { panelDefinition } from './panel.ts';
import { storyDefinition } from './story.ts';
import { panelDeleteDefinition } from './panels/delete.ts';
import { panelMoveDefinition } from './panels/move.ts';
import { panelTextDefinition } from './panels/text.ts';
import { readDefinition } from './read.ts';
import { publishDefinition } from './publish.ts';
import { createProjectDefinition } from './project/create.ts';
import { deleteProjectDefinition } from './project/delete.ts';
import { editProjectDefinition } from './project/edit.ts';
import { listProjectsDefinition } from './project/list.ts';
import { showProjectDefinition } from './project/show.ts';
import { settingsDefinition } from './settings.ts';
import { usageDefinition } from './usage.ts';
import { ContextType, OptionType } from './types.ts';

/** A chat-input command as a global bulk overwrite takes it. */
export type GlobalCommand = RESTPostAPIChatInputApplicationCommandsJSONBody & RESTPutAPIApplicationCommandsJSONBody[number];
/** A chat-input command as a guild bulk overwrite takes it. */
export type GuildCommand = Omit<GlobalCommand, 'contexts' | 'dm_permission' | 'integration_types'> & RESTPutAPIApplicationGuildCommandsJSONBody[number];

const projectGroup: APIApplicationCommandSubcommandGroupOption = {
	type: OptionType.SubcommandGroup,
	name: 'project',
	description: 'Your comic projects',
	options: [createProjectDefinition, listProjectsDefinition, showProjectDefinition, editProjectDefinition, deleteProjectDefinition],
};

const characterGroup: APIApplicationCommandSubcommandGroupOption = {
	type: OptionType.SubcommandGroup,
	name: 'character',
	description: 'The characters of a project',
	options: [addCharacterDefinition, characterPicturesDefinition, listCharactersDefinition, removeCharacterDefinition],
};

const panelsGroup: APIApplicationCommandSubcommandGroupOption = {
	type: OptionType.SubcommandGroup,
	name: 'panels',
	description: 'The panels of a project: their words and their order',
	options: [panelTextDefinition, panelMoveDefinition, panelDeleteDefinition],
};

const membersGroup: APIApplicationCommandSubcommandGroupOption = {
	type: OptionType.SubcommandGroup,
	name: 'members',
	description: 'Who else may draw in or read a project',
	options: [addMemberDefinition, removeMemberDefinition, listMembersDefinition],
};

const accountGroup: APIApplicationCommandSubcommandGroupOption = {
	type: OptionType.SubcommandGroup,
	name: 'account',
	description: 'Your own Civitai key',
	options: [linkAccountDefinition, accountStatusDefinition, unlinkAccountDefinition],
};

/** The options of `/comic`, in the order Discord shows them. */
const comicOptions: readonly (APIApplicationCommandSubcommandGroupOption | APIApplicationCommandSubcommandOption)[] = [
	projectGroup,
	characterGroup,
	panelDefinition,
	storyDefinition,
	panelsGroup,
	membersGroup,
	exportDefinition,
	readDefinition,
	publishDefinition,
	accountGroup,
	settingsDefinition,
	usageDefinition,
];

/**
 * `/comic` as a guild registration takes it. Discord's types for guild commands leave out `contexts`,
 * `integration_types` and `dm_permission`: a guild command is used in that guild only.
 * @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-guild-application-commands
 */
export const comicGuildCommand: GuildCommand = {
	type: 1,
	name: 'comic',
	description: 'Draw comics with consistent characters',
	options: [...comicOptions],
};

/**
 * `/comic` as a global registration takes it: usable in servers, in the bot's DMs and in private channels.
 * @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
 */
export const comicGlobalCommand: GlobalCommand = {
	...comicGuildCommand,
	contexts: [ContextType.Guild, ContextType.BotDM, ContextType.PrivateChannel],
};

/** The definition of `/comic [group] name`, or undefined when this version has no such subcommand. */
export function findDefinition(group: string | null, name: string): APIApplicationCommandSubcommandOption | undefined {
	for (const option of comicOptions) {
		if (group === null && option.type === OptionType.Subcommand && option.name === name) return option;
		if (option.type === OptionType.SubcommandGroup && option.name === group) return option.options?.find((sub) => sub.name === name);
	}
	return undefined;
}
