import type { APIApplicationCommandAttachmentOption } from 'discord.js';
import { OptionType } from '../types.ts';

/** `image` and `image2`–`image4`: pictures of the character (the first one required when `required`). */
export function pictureOptions(required: boolean): APIApplicationCommandAttachmentOption[] {
	return [
		{ type: OptionType.Attachment, name: 'image', description: 'A picture of the character (JPEG, PNG, WebP; up to 10 MB)', required },
		{ type: OptionType.Attachment, name: 'image2', description: 'Another picture of the character', required: false },
		{ type: OptionType.Attachment, name: 'image3', description: 'Another picture of the character', required: false },
		{ type: OptionType.Attachment, name: 'image4', description: 'Another picture of the character', required: false },
	];
}
