import type { APIApplicationCommandIntegerOption, APIApplicationCommandStringOption } from 'discord.js';
import { CAPTION_MAX, DIALOGUE_MAX, PANEL_NUMBER_MAX } from '../../../src/comic/limits.ts';
import { OptionType } from '../types.ts';

export function captionOption(description: string) {
	return {
		type: OptionType.String,
		name: 'caption',
		description,
		required: false,
		min_length: 1,
		max_length: CAPTION_MAX,
	} as const satisfies APIApplicationCommandStringOption;
}

export function dialogueOption(description: string) {
	return {
		type: OptionType.String,
		name: 'dialogue',
		description,
		required: false,
		min_length: 1,
		max_length: DIALOGUE_MAX,
	} as const satisfies APIApplicationCommandStringOption;
}

/** The `panel` option: a panel's number in its project, offered by autocomplete. */
export const panelNumberOption = {
	type: OptionType.Integer,
	name: 'panel',
	description: "The panel's number in the project",
	required: true,
	min_value: 1,
	max_value: PANEL_NUMBER_MAX,
	autocomplete: true,
} as const satisfies APIApplicationCommandIntegerOption;
