import type { ButtonHandler, Subcommand } from './command.ts';
import { addCharacterCommand } from './character/add.ts';
import { panelCommand } from './panel.ts';
import { createProjectCommand } from './project/create.ts';

/** Every `/comic` subcommand, in the order Discord shows them. No directory scanning. */
export const subcommands: readonly Subcommand[] = [createProjectCommand, addCharacterCommand, panelCommand];

export const buttons: readonly ButtonHandler[] = [];

export function findSubcommand(group: string | null, name: string): Subcommand | undefined {
	return subcommands.find((command) => (command.group ?? null) === group && command.name === name);
}
