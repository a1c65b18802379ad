import type { APIApplicationCommandSubcommandOption, ButtonInteraction, ChatInputCommandInteraction, ModalSubmitInteraction } from 'discord.js';
import type { AppDeps } from '../src/deps.ts';
import type { ArgsOf, Family } from './buttons/customId.ts';
import { type OptionsOf, readOptions } from './options.ts';

/**
 * The handler of one `/comic` subcommand, holding its definition (data in commands/definitions/) by reference:
 * the dispatcher finds the handler of the definition Discord's payload names, and the handler reads that
 * definition's options, typed (./options.ts). tests/unit/definitions.test.ts checks that every definition has
 * exactly one handler.
 */
export interface Subcommand {
	readonly definition: APIApplicationCommandSubcommandOption;
	/** Reads the options (after the dispatcher checked them against the definition) and runs the handler. */
	readonly execute: (interaction: ChatInputCommandInteraction, deps: AppDeps) => Promise<void>;
}

/** A subcommand as written: its definition, and a handler whose options come typed from that definition. */
export interface TypedSubcommand<D extends APIApplicationCommandSubcommandOption> {
	readonly definition: D;
	readonly execute: (interaction: ChatInputCommandInteraction, options: OptionsOf<D>, deps: AppDeps) => Promise<void>;
}

/**
 * Binds a handler to its definition (`subcommand({ definition, execute })`, like the discord.js template's
 * `{ data, execute } satisfies Command`): the one place a subcommand's options are read.
 */
export function subcommand<const D extends APIApplicationCommandSubcommandOption>({ definition, execute }: TypedSubcommand<D>): Subcommand {
	return { definition, execute: (interaction, deps) => execute(interaction, readOptions(definition, interaction), deps) };
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
