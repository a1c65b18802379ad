import type {
	AutocompleteInteraction,
	ButtonInteraction,
	ChatInputCommandInteraction,
	ModalSubmitInteraction,
	SlashCommandSubcommandBuilder,
} from 'discord.js';
import type { AppDeps } from '../src/deps.ts';

/** One `/comic` subcommand: its definition as data and its handler. */
export interface Subcommand {
	readonly group?: 'project' | 'character' | 'account';
	readonly name: string;
	readonly define: (builder: SlashCommandSubcommandBuilder) => SlashCommandSubcommandBuilder;
	readonly execute: (interaction: ChatInputCommandInteraction, deps: AppDeps) => Promise<void>;
}

/** A button handler, routed by the first segment of its `custom_id` (`prefix:arg:arg`). */
export interface ButtonHandler {
	readonly prefix: string;
	readonly execute: (interaction: ButtonInteraction, args: readonly string[], deps: AppDeps) => Promise<void>;
}

/** A modal submit handler, routed like buttons by the first segment of the modal's `custom_id`. */
export interface ModalHandler {
	readonly prefix: string;
	readonly execute: (interaction: ModalSubmitInteraction, args: readonly string[], deps: AppDeps) => Promise<void>;
}

export type AutocompleteHandler = (interaction: AutocompleteInteraction, deps: AppDeps) => Promise<void>;
