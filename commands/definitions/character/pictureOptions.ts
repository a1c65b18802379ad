import type { APIApplicationCommandAttachmentOption } from 'discord.js';
import { OptionType } from '../types.ts';

const firstPicture = { type: OptionType.Attachment, name: 'image', description: 'A picture of the character (JPEG, PNG, WebP; up to 10 MB)' } as const;
const morePictures = [
	{ type: OptionType.Attachment, name: 'image2', description: 'Another picture of the character', required: false },
	{ type: OptionType.Attachment, name: 'image3', description: 'Another picture of the character', required: false },
	{ type: OptionType.Attachment, name: 'image4', description: 'Another picture of the character', required: false },
] as const;

/**
 * `image` and `image2`–`image4`: pictures of the character, the first one required or not. Two constants rather than
 * a function of `required`, so each keeps its literal `required` for the handler's typed options (commands/options.ts).
 */
export const requiredPictureOptions = [
	{ ...firstPicture, required: true },
	...morePictures,
] as const satisfies readonly APIApplicationCommandAttachmentOption[];
export const optionalPictureOptions = [
	{ ...firstPicture, required: false },
	...morePictures,
] as const satisfies readonly APIApplicationCommandAttachmentOption[];
