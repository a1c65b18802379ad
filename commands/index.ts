import { deleteProjectButtons } from './buttons/projectDelete.ts';
import type { ButtonHandlers, ModalHandlers, Subcommand } from './command.ts';
import { addCharacterCommand } from './character/add.ts';
import { listCharactersCommand } from './character/list.ts';
import { removeCharacterCommand } from './character/remove.ts';
import { panelCommand } from './panel.ts';
import { storyButtons } from './buttons/story.ts';
import { storyCommand } from './story.ts';
import { createProjectCommand } from './project/create.ts';
import { deleteProjectCommand } from './project/delete.ts';
import { listProjectsCommand } from './project/list.ts';
import { showProjectCommand } from './project/show.ts';

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
	storyCommand,
];

export const buttons: ButtonHandlers = { 'project-delete': deleteProjectButtons, story: storyButtons };

export const modals: ModalHandlers = {};

export function findSubcommand(group: string | null, name: string): Subcommand | undefined {
	return subcommands.find((command) => (command.group ?? null) === group && command.name === name);
}
