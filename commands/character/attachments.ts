import type { ChatInputCommandInteraction } from 'discord.js';
import type { AttachmentRef } from '../../src/comic/pictures/pictureCharacters.ts';

/** The `image`, `image2`–`image4` attachments given, in order. */
export function pictureAttachments(interaction: ChatInputCommandInteraction): AttachmentRef[] {
	return ['image', 'image2', 'image3', 'image4'].flatMap((name) => {
		const attachment = interaction.options.getAttachment(name);
		return attachment ? [{ url: attachment.url, name: attachment.name, size: attachment.size, contentType: attachment.contentType }] : [];
	});
}
