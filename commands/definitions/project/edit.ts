import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { ENGINE_CHOICES, PROJECT_DESCRIPTION_MAX, PROJECT_NAME_MAX, READINGS } from '../../../src/comic/limits.ts';
import { projectOption } from '../projectOption.ts';
import { OptionType } from '../types.ts';

export const editProjectDefinition: APIApplicationCommandSubcommandOption = {
	type: OptionType.Subcommand,
	name: 'edit',
	description: "Change a project's name, description, drawing engine or reading direction",
	options: [
		projectOption,
		{ type: OptionType.String, name: 'name', description: 'A new name', required: false, max_length: PROJECT_NAME_MAX },
		{
			type: OptionType.String,
			name: 'description',
			description: 'A new description (what the comic is about)',
			required: false,
			max_length: PROJECT_DESCRIPTION_MAX,
		},
		{
			type: OptionType.String,
			name: 'engine',
			description: 'How panels are drawn: auto (LoRA → its checkpoint, pictures → nano-banana-2) or one engine',
			required: false,
			choices: ENGINE_CHOICES.map((choice) => ({ name: choice, value: choice })),
		},
		{
			type: OptionType.String,
			name: 'reading',
			description: 'Reading direction: ltr (left to right) or rtl (right to left, as manga)',
			required: false,
			choices: READINGS.map((choice) => ({ name: choice, value: choice })),
		},
	],
};
