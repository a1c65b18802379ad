import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { CHARACTER_DESCRIPTION_MAX, CHARACTER_NAME_MAX, LORA_STRENGTH_MAX, LORA_STRENGTH_MIN } from '../../../src/comic/limits.ts';
import { projectOption } from '../projectOption.ts';
import { OptionType } from '../types.ts';
import { optionalPictureOptions } from './pictureOptions.ts';

export const addCharacterDefinition = {
	type: OptionType.Subcommand,
	name: 'add',
	description: 'Add a character: a Civitai LoRA, or 1–4 pictures of it, so the same face comes back in every panel',
	options: [
		projectOption,
		{
			type: OptionType.String,
			name: 'model',
			description: 'A LoRA: model-version id, Civitai model page URL, or AIR (or give `image` instead)',
			required: false,
			max_length: 300,
		},
		{
			type: OptionType.String,
			name: 'name',
			description: "The character's name (needed with pictures; default for a LoRA: the model's name)",
			required: false,
			max_length: CHARACTER_NAME_MAX,
		},
		{
			type: OptionType.Number,
			name: 'strength',
			description: `How strongly the LoRA shapes the picture, ${LORA_STRENGTH_MIN} to ${LORA_STRENGTH_MAX} (default: 1)`,
			required: false,
			min_value: LORA_STRENGTH_MIN,
			max_value: LORA_STRENGTH_MAX,
		},
		...optionalPictureOptions,
		{
			type: OptionType.String,
			name: 'description',
			description: 'A few words about the character the prompt may use (pictures)',
			required: false,
			max_length: CHARACTER_DESCRIPTION_MAX,
		},
	],
} as const satisfies APIApplicationCommandSubcommandOption;
