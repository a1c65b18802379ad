import { ApplicationCommandOptionType, type APIApplicationCommandSubcommandOption, type ChatInputCommandInteraction } from 'discord.js';
import { UserFacingError } from '../comic/errors.ts';

/**
 * Checks the text options of a command against its own definition. Discord's app enforces the
 * declared lengths, but any other client (or an old definition still registered) can send
 * anything; a mistake here is the user's, so it gets a reply that says how to fix it.
 */
export function checkTextOptions(definition: APIApplicationCommandSubcommandOption, interaction: ChatInputCommandInteraction): void {
	for (const option of definition.options ?? []) {
		if (option.type !== ApplicationCommandOptionType.String) continue;
		const value = interaction.options.getString(option.name);
		if (value === null) {
			if (option.required) throw new UserFacingError(`The \`${option.name}\` option is missing: fill it in and try again.`);
			continue;
		}
		if (!value.trim()) {
			const fix = option.required ? 'type something in it and try again' : 'type something in it, or leave it out';
			throw new UserFacingError(`The \`${option.name}\` option is empty: ${fix}.`);
		}
		if (option.max_length !== undefined && value.length > option.max_length)
			throw new UserFacingError(
				`The \`${option.name}\` option is ${value.length} characters long; the limit is ${option.max_length}. Shorten it and try again.`,
			);
	}
}
