import type { Attachment } from 'discord.js';
import type { AttachmentRef } from '../../src/comic/pictures/pictureCharacters.ts';

/** The picture options every picture-taking subcommand declares (commands/definitions/character/pictureOptions.ts). */
type PictureOptions = { readonly [Name in 'image' | 'image2' | 'image3' | 'image4']: Attachment | null };

/** The `image`, `image2`–`image4` attachments given, in order. */
export function pictureAttachments(options: PictureOptions): AttachmentRef[] {
	return [options.image, options.image2, options.image3, options.image4].flatMap((attachment) =>
		attachment ? [{ url: attachment.url, name: attachment.name, size: attachment.size, contentType: attachment.contentType }] : [],
	);
}
