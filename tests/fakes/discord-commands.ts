// The checks Discord applies to a bulk command overwrite, so a deploy test fails here the way it would
// fail against Discord (400 / 50035) instead of passing on a definition Discord rejects.
import { isRecord } from './discord-interactions.ts';
import { ApiError } from './discord-messages.ts';

// Lowercase letters, digits, '-', '_' and apostrophes in any script; 1-32 characters.
const NAME = /^[-_'\p{Ll}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function invalid(path: string, message: string): ApiError {
	return new ApiError(400, 50035, 'Invalid Form Body', { [path]: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID', message }] } });
}

// Discord's published types for guild commands (RESTPutAPIApplicationGuildCommandsJSONBody) leave these out:
// a guild command is used in its guild only. The fake refuses them so a deploy that sends them fails here.
const GLOBAL_ONLY = ['contexts', 'integration_types', 'dm_permission'] as const;

export function validateCommands(commands: unknown[], scope: 'global' | 'guild' = 'global'): void {
	const names = new Set<string>();
	for (const [index, command] of commands.entries()) {
		if (!isRecord(command)) throw invalid(`${index}`, 'Must be an object.');
		for (const field of GLOBAL_ONLY) {
			if (scope === 'guild' && field in command) throw invalid(`${index}.${field}`, `A guild command takes no ${field}: it is for global commands only.`);
		}
		const type = command['type'] ?? 1;
		// Context-menu commands (types 2, 3) have free-form names and no description.
		const chatInput = type === 1;
		validateEntry(command, `${index}`, chatInput);
		const key = `${String(type)}:${String(command['name'])}`;
		if (names.has(key)) throw invalid(`${index}.name`, 'Application command names must be unique');
		names.add(key);
	}
}

function validateEntry(entry: Record<string, unknown>, path: string, chatInput: boolean): void {
	const name = entry['name'];
	if (typeof name !== 'string' || (chatInput ? !NAME.test(name) : name.length < 1 || name.length > 32)) {
		throw invalid(`${path}.name`, `Invalid name ${JSON.stringify(name)}: 1-32 lowercase characters.`);
	}
	if (chatInput) {
		const description = entry['description'];
		if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
			throw invalid(`${path}.description`, 'Must be between 1 and 100 in length.');
		}
	}
	const options = entry['options'];
	if (options === undefined || options === null) return;
	if (!Array.isArray(options)) throw invalid(`${path}.options`, 'Must be an array.');
	if (options.length > 25) throw invalid(`${path}.options`, 'Must be 25 or fewer in length.');
	const optionNames = new Set<string>();
	let sawOptional = false;
	for (const [index, option] of options.entries()) {
		if (!isRecord(option)) throw invalid(`${path}.options.${index}`, 'Must be an object.');
		validateEntry(option, `${path}.options.${index}`, true);
		if (option['required'] === true && sawOptional) {
			throw invalid(`${path}.options.${index}.required`, 'Required options must be placed before non-required options');
		}
		if (option['required'] !== true) sawOptional = true;
		if (optionNames.has(String(option['name']))) throw invalid(`${path}.options.${index}.name`, 'Option names must be unique');
		optionNames.add(String(option['name']));
		const choices = option['choices'];
		if (Array.isArray(choices) && choices.length > 25) throw invalid(`${path}.options.${index}.choices`, 'Must be 25 or fewer in length.');
	}
}

/** An autocomplete answer (callback 8): at most 25 choices, names 1-100 and string values ≤ 100 characters. */
export function validateChoices(data: unknown): void {
	const choices = isRecord(data) ? data['choices'] : undefined;
	const invalid = (reason: string): ApiError =>
		new ApiError(400, 50035, 'Invalid Form Body', { data: { choices: { _errors: [{ code: 'BASE_TYPE_INVALID', message: reason }] } } });
	if (!Array.isArray(choices)) throw invalid('choices must be an array');
	if (choices.length > 25) throw invalid('Must be 25 or fewer in length.');
	for (const choice of choices) {
		const name = isRecord(choice) ? choice['name'] : undefined;
		if (typeof name !== 'string' || name.length < 1 || name.length > 100) throw invalid('Choice name must be 1-100 characters.');
		const value = isRecord(choice) ? choice['value'] : undefined;
		if (typeof value === 'string' && value.length > 100) throw invalid('Choice value must be 100 or fewer characters.');
	}
}
