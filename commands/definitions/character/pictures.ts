import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { projectOption } from '../projectOption.ts';
import { OptionType } from '../types.ts';
import { requiredPictureOptions } from './pictureOptions.ts';

export const characterPicturesDefinition = {
	type: OptionType.Subcommand,
	name: 'pictures',
	description: 'Give a character (a LoRA one too) reference pictures, in place of any it had',
	options: [
		projectOption,
		{ type: OptionType.String, name: 'character', description: 'The character', required: true, autocomplete: true, max_length: 100 },
		...requiredPictureOptions,
	],
} as const satisfies APIApplicationCommandSubcommandOption;
