import { linkAccountCommand, linkAccountModal } from './account/link.ts';
import { accountStatusCommand } from './account/status.ts';
import { unlinkAccountCommand } from './account/unlink.ts';
import { panelEditModal } from './buttons/panel/edit.ts';
import { panelButtons } from './buttons/panel/index.ts';
import { useTakeButtons } from './buttons/panel/useTake.ts';
import { deleteProjectButtons } from './buttons/projectDelete.ts';
import type { ButtonHandlers, ModalHandlers, Subcommand } from './command.ts';
import { addCharacterCommand } from './character/add.ts';
import { listCharactersCommand } from './character/list.ts';
import { removeCharacterCommand } from './character/remove.ts';
import { panelCommand } from './panel.ts';
import { createProjectCommand } from './project/create.ts';
import { deleteProjectCommand } from './project/delete.ts';
import { listProjectsCommand } from './project/list.ts';
import { showProjectCommand } from './project/show.ts';
import { settingsCommand } from './settings.ts';
import { usageCommand } from './usage.ts';

/** Every `/comic` subcommand's handler. No directory scanning; the order Discord shows is commands/definitions/comic.ts's. */
export const subcommands: readonly Subcommand[] = [
	createProjectCommand,
	listProjectsCommand,
	showProjectCommand,
	deleteProjectCommand,
	addCharacterCommand,
	listCharactersCommand,
	removeCharacterCommand,
	panelCommand,
	linkAccountCommand,
	accountStatusCommand,
	unlinkAccountCommand,
	settingsCommand,
	usageCommand,
];

export const buttons: ButtonHandlers = { 'project-delete': deleteProjectButtons, panel: panelButtons, 'panel-use': useTakeButtons };

export const modals: ModalHandlers = { 'panel-edit': panelEditModal, 'account-link': linkAccountModal };

export function findSubcommand(group: string | null, name: string): Subcommand | undefined {
	return subcommands.find((command) => (command.group ?? null) === group && command.name === name);
}
