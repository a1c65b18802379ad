import type { ButtonInteraction, ChatInputCommandInteraction, ModalSubmitInteraction } from 'discord.js';
import type { AppDeps } from '../src/deps.ts';
import type { ArgsOf, Family } from './buttons/customId.ts';

/**
 * The handler of one `/comic` subcommand. Its definition is data in commands/definitions/, found by the
 * same group and name (tests/unit/definitions.test.ts checks that every definition has its handler).
 */
export interface Subcommand {
	readonly group?: 'project' | 'character' | 'panels' | 'account' | 'members';
	readonly name: string;
	readonly execute: (interaction: ChatInputCommandInteraction, deps: AppDeps) => Promise<void>;
}

/** The handler of a family of buttons; its arguments come decoded from the `custom_id` (./buttons/customId.ts). */
export interface ButtonHandler<F extends Family = Family> {
	readonly family: F;
	readonly execute: (interaction: ButtonInteraction, args: ArgsOf<F>, deps: AppDeps) => Promise<void>;
}

/** The handler of a family of modals: the same shape as a button's, for the modal's `custom_id`. */
export interface ModalHandler<F extends Family = Family> {
	readonly family: F;
	/** The text inputs it cannot do without: a submission lacking one (an older modal, another client) is refused before it runs. */
	readonly inputs?: readonly string[];
	readonly execute: (interaction: ModalSubmitInteraction, args: ArgsOf<F>, deps: AppDeps) => Promise<void>;
}

/** The button handlers by family: at most one each, and each typed for its own family's arguments. */
export type ButtonHandlers = { readonly [F in Family]?: ButtonHandler<F> };
export type ModalHandlers = { readonly [F in Family]?: ModalHandler<F> };
