import { linkAccountCommand, linkAccountModal } from './account/link.ts';
import { accountStatusCommand } from './account/status.ts';
import { unlinkAccountCommand } from './account/unlink.ts';
import { panelChangeModal } from './buttons/panel/change.ts';
import { panelEditModal } from './buttons/panel/edit.ts';
import { historyButtons } from './buttons/panel/history.ts';
import { panelButtons } from './buttons/panel/index.ts';
import { useTakeButtons } from './buttons/panel/useTake.ts';
import { deletePanelButtons } from './buttons/panelDelete.ts';
import { deleteProjectButtons } from './buttons/projectDelete.ts';
import { readerButtons } from './buttons/readerPages.ts';
import type { ButtonHandlers, ModalHandlers, Subcommand } from './command.ts';
import { addCharacterCommand } from './character/add.ts';
import { characterPicturesCommand } from './character/pictures.ts';
import { listCharactersCommand } from './character/list.ts';
import { removeCharacterCommand } from './character/remove.ts';
import { exportCommand } from './export.ts';
import { makeCharacterModal } from './makeCharacter.ts';
import { addMemberCommand } from './members/add.ts';
import { listMembersCommand } from './members/list.ts';
import { removeMemberCommand } from './members/remove.ts';
import { panelCommand } from './panel.ts';
import { storyButtons } from './buttons/story.ts';
import { storyCommand } from './story.ts';
import { panelDeleteCommand } from './panels/delete.ts';
import { panelMoveCommand } from './panels/move.ts';
import { panelTextCommand } from './panels/text.ts';
import { createProjectCommand } from './project/create.ts';
import { deleteProjectCommand } from './project/delete.ts';
import { editProjectCommand } from './project/edit.ts';
import { listProjectsCommand } from './project/list.ts';
import { showProjectCommand } from './project/show.ts';
import { readCommand } from './read.ts';
import { publishCommand } from './publish.ts';
import { settingsCommand } from './settings.ts';
import { usageCommand } from './usage.ts';

/** Every `/comic` subcommand's handler. No directory scanning; the order Discord shows is commands/definitions/comic.ts's. */
export const subcommands: readonly Subcommand[] = [
	createProjectCommand,
	listProjectsCommand,
	showProjectCommand,
	editProjectCommand,
	deleteProjectCommand,
	addCharacterCommand,
	characterPicturesCommand,
	listCharactersCommand,
	removeCharacterCommand,
	panelCommand,
	panelTextCommand,
	panelMoveCommand,
	panelDeleteCommand,
	addMemberCommand,
	removeMemberCommand,
	listMembersCommand,
	exportCommand,
	readCommand,
	publishCommand,
	linkAccountCommand,
	accountStatusCommand,
	unlinkAccountCommand,
	settingsCommand,
	usageCommand,
	storyCommand,
];

export const buttons: ButtonHandlers = {
	'project-delete': deleteProjectButtons,
	panel: panelButtons,
	'panel-use': useTakeButtons,
	'panel-history': historyButtons,
	'panel-delete': deletePanelButtons,
	read: readerButtons,
	story: storyButtons,
};

export const modals: ModalHandlers = {
	'panel-edit': panelEditModal,
	'panel-change': panelChangeModal,
	'account-link': linkAccountModal,
	'make-character': makeCharacterModal,
};

export function findSubcommand(group: string | null, name: string): Subcommand | undefined {
	return subcommands.find((command) => (command.group ?? null) === group && command.name === name);
}
