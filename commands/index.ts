import { linkAccountCommand, linkAccountModal } from './account/link.ts';
import { accountStatusCommand } from './account/status.ts';
import { unlinkAccountCommand } from './account/unlink.ts';
import type { ButtonHandler, ModalHandler, Subcommand } from './command.ts';
import { addCharacterCommand } from './character/add.ts';
import { listCharactersCommand } from './character/list.ts';
import { removeCharacterCommand } from './character/remove.ts';
import { panelCommand } from './panel.ts';
import { createProjectCommand } from './project/create.ts';
import { deleteProjectButtons, deleteProjectCommand } from './project/delete.ts';
import { listProjectsCommand } from './project/list.ts';
import { showProjectCommand } from './project/show.ts';
import { settingsCommand } from './settings.ts';
import { usageCommand } from './usage.ts';

/** Every `/comic` subcommand, in the order Discord shows them. No directory scanning. */
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

export const buttons: readonly ButtonHandler[] = [deleteProjectButtons];

export const modals: readonly ModalHandler[] = [linkAccountModal];

export function findSubcommand(group: string | null, name: string): Subcommand | undefined {
	return subcommands.find((command) => (command.group ?? null) === group && command.name === name);
}
