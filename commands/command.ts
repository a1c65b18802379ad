import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, SlashCommandSubcommandBuilder } from 'discord.js';
import type { AppDeps } from '../src/deps.ts';

/** One `/comic` subcommand: its definition as data and its handler. */
export interface Subcommand {
	readonly group?: 'project' | 'character';
	readonly name: string;
	readonly define: (builder: SlashCommandSubcommandBuilder) => SlashCommandSubcommandBuilder;
	readonly execute: (interaction: ChatInputCommandInteraction, deps: AppDeps) => Promise<void>;
}

/** A button handler, routed by the first segment of its `custom_id` (`prefix:arg:arg`). */
export interface ButtonHandler {
	readonly prefix: string;
	readonly execute: (interaction: ButtonInteraction, args: readonly string[], deps: AppDeps) => Promise<void>;
}

export type AutocompleteHandler = (interaction: AutocompleteInteraction, deps: AppDeps) => Promise<void>;
