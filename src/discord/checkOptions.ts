import {
	type APIApplicationCommandBasicOption,
	type APIApplicationCommandSubcommandOption,
	ApplicationCommandOptionType,
	type ChatInputCommandInteraction,
	type CommandInteractionOption,
	type ModalSubmitInteraction,
} from 'discord.js';
import { UserFacingError } from '../comic/errors.ts';
import { unsafeCharacter } from '../comic/text.ts';
import { clip } from './fitText.ts';

/**
 * Checks every option of a command against its own definition, before its handler runs (and so
 * before anything is deferred or stored). Discord's app enforces the declared types, ranges and
 * lengths, but any other client, or an old definition still registered, can send anything: an
 * option of another type, a number past the database's integer, an option this version does not
 * have, a required one left out, control characters. A mistake here is the user's, so it gets a
 * reply that says how to fix it, the same on every database, instead of failing deep inside.
 */
export function checkOptions(definition: APIApplicationCommandSubcommandOption, interaction: ChatInputCommandInteraction): void {
	const declared = definition.options ?? [];
	const given = leafOptions(interaction.options.data);
	const seen = new Set<string>();
	for (const option of given) {
		const spec = declared.find((candidate) => candidate.name === option.name);
		if (!spec)
			throw new UserFacingError(
				`This command has no \`${optionName(option.name)}\` option in this version of the bot (its commands may need to be deployed again). Run it again without it.`,
			);
		if (seen.has(spec.name)) throw new UserFacingError(`The \`${spec.name}\` option was given twice. Give it once.`);
		seen.add(spec.name);
		checkValue(spec, option);
	}
	for (const spec of declared) {
		if (spec.required && !seen.has(spec.name)) throw new UserFacingError(`The \`${spec.name}\` option is missing: fill it in and try again.`);
	}
}

/** The options under the subcommand (and its group), as discord.js hoists them for its getters. */
function leafOptions(data: readonly CommandInteractionOption[]): readonly CommandInteractionOption[] {
	let options = data;
	if (options[0]?.type === ApplicationCommandOptionType.SubcommandGroup) options = options[0].options ?? [];
	if (options[0]?.type === ApplicationCommandOptionType.Subcommand) options = options[0].options ?? [];
	return options;
}

const KIND: Partial<Record<ApplicationCommandOptionType, string>> = {
	[ApplicationCommandOptionType.String]: 'text',
	[ApplicationCommandOptionType.Integer]: 'a whole number',
	[ApplicationCommandOptionType.Number]: 'a number',
	[ApplicationCommandOptionType.Boolean]: 'true or false',
	[ApplicationCommandOptionType.User]: 'a member',
	[ApplicationCommandOptionType.Role]: 'a role',
	[ApplicationCommandOptionType.Attachment]: 'a file',
};

function checkValue(spec: APIApplicationCommandBasicOption, option: CommandInteractionOption): void {
	const { value } = option;
	const wrongType = () =>
		new UserFacingError(`The \`${spec.name}\` option must be ${KIND[spec.type] ?? 'something else'} (the command may need to be deployed again).`);
	if (option.type !== spec.type) throw wrongType();
	switch (spec.type) {
		case ApplicationCommandOptionType.String: {
			if (typeof value !== 'string') throw wrongType();
			checkText(`\`${spec.name}\` option`, value, { required: spec.required === true, maxLength: spec.max_length });
			if (spec.choices && !spec.choices.some((choice) => choice.value === value))
				throw new UserFacingError(`The \`${spec.name}\` option must be one of ${spec.choices.map((choice) => `\`${choice.value}\``).join(', ')}.`);
			return;
		}
		case ApplicationCommandOptionType.Integer:
		case ApplicationCommandOptionType.Number: {
			const whole = spec.type === ApplicationCommandOptionType.Integer;
			if (typeof value !== 'number' || !Number.isFinite(value) || (whole && !Number.isSafeInteger(value))) throw wrongType();
			const { min_value: min, max_value: max } = spec;
			if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
				const range = min !== undefined && max !== undefined ? `from ${min} to ${max}` : min !== undefined ? `at least ${min}` : `at most ${max}`;
				throw new UserFacingError(`The \`${spec.name}\` option must be ${range}; ${clip(String(value), 30)} is outside that.`);
			}
			return;
		}
		case ApplicationCommandOptionType.Boolean:
			if (typeof value !== 'boolean') throw wrongType();
			return;
		case ApplicationCommandOptionType.User:
		case ApplicationCommandOptionType.Role:
		case ApplicationCommandOptionType.Attachment:
			if (typeof value !== 'string' || !/^\d{1,20}$/.test(value)) throw wrongType();
			return;
		default:
			return;
	}
}

/**
 * One piece of typed text: present when required, not blank, within its length, and free of control
 * characters and broken (unpaired surrogate) characters. `what` names it for the user.
 */
export function checkText(what: string, value: string, rules: { required: boolean; maxLength?: number | undefined }): void {
	if (!value.trim()) {
		const fix = rules.required ? 'type something in it and try again' : 'type something in it, or leave it out';
		throw new UserFacingError(`The ${what} is empty: ${fix}.`);
	}
	if (rules.maxLength !== undefined && value.length > rules.maxLength)
		throw new UserFacingError(`The ${what} is ${value.length} characters long; the limit is ${rules.maxLength}. Shorten it and try again.`);
	const unsafe = unsafeCharacter(value);
	if (unsafe) throw new UserFacingError(`The ${what} contains ${unsafe}. Remove it and try again.`);
}

/**
 * Checks the text inputs of a submitted modal before its handler runs: each one `required` lists is
 * there (a modal opened by an older version, or sent by another client, may lack one), every text
 * input is text, and none holds control or broken characters. Length and blankness are the
 * handler's to judge: an empty caption means "none".
 */
export function checkModalInputs(interaction: ModalSubmitInteraction, required: readonly string[]): void {
	for (const id of required) {
		if (!interaction.fields.fields.has(id))
			throw new UserFacingError('This form is missing one of its fields; it may be from an older version. Open it again.');
	}
	for (const [id, field] of interaction.fields.fields) {
		if (!('value' in field)) continue;
		const value: unknown = field.value;
		if (typeof value !== 'string') throw new UserFacingError('This form sent something other than text; open it again.');
		const unsafe = unsafeCharacter(value);
		if (unsafe) throw new UserFacingError(`The \`${optionName(id)}\` field contains ${unsafe}. Remove it and try again.`);
	}
}

/** A name the client sent, shown back briefly inside inline code, where Markdown is inert: no backtick to leave it, nothing invisible. */
function optionName(name: string): string {
	// biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point.
	return clip(name, 32).replace(/[`\u0000-\u001f\u007f-\u009f\ud800-\udfff]/g, '?');
}
