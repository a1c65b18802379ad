import { actorOf } from '../src/discord/actor.ts';
import {
	DiscordAPIError,
	MessageFlags,
	type MessageContextMenuCommandInteraction,
	ModalBuilder,
	type ModalSubmitInteraction,
	TextInputStyle,
} from 'discord.js';
import { z } from 'zod';
import { UserFacingError } from '../src/comic/errors.ts';
import { CHARACTER_NAME_MAX } from '../src/comic/limits.ts';
import { quote } from '../src/comic/names.ts';
import { addPictureCharacter, type AttachmentRef } from '../src/comic/pictures/pictureCharacters.ts';
import type { AppDeps } from '../src/deps.ts';
import { NO_MENTIONS } from '../src/discord/render.ts';
import { encode } from './buttons/customId.ts';
import type { ModalHandler } from './command.ts';

/** The modal's text inputs (the contract). */
export const PROJECT_INPUT = 'project';
export const NAME_INPUT = 'name';

export const NO_PICTURE =
	'This message has no picture attached, so there is nothing to make a character from. Use **Make a character** on a message with an image (or on a panel of the bot).';

/** What a message's attachment says of itself, as Discord sends it (read with zod: it comes from the network). */
const attachmentSchema = z.object({
	id: z.string(),
	filename: z.string(),
	size: z.number(),
	url: z.string(),
	content_type: z.string().nullish(),
});
const messageSchema = z.object({ attachments: z.array(attachmentSchema) });
type Attachment = z.infer<typeof attachmentSchema>;

const IMAGE_NAME = /\.(png|jpe?g|webp|gif|avif|bmp|tiff?)$/i;

/**
 * The message's first picture: an attachment declared an image, or named like one when Discord gave no
 * type. The bot's panel messages carry their picture as an attachment too, so they need no other path.
 * What is declared is only a first sieve: the bytes are checked after download (magic bytes, size).
 */
function firstPicture(attachments: readonly Attachment[]): Attachment | undefined {
	return attachments.find((attachment) =>
		attachment.content_type ? attachment.content_type.toLowerCase().startsWith('image/') : IMAGE_NAME.test(attachment.filename),
	);
}

/**
 * The message command: a message without a picture is refused at once, privately; else the modal opens.
 * Its custom id carries only the channel and message ids (Discord's CDN links die within a day and do not
 * fit in 100 characters): the submission reads the message again, so the picture is the one it has then.
 */
export async function executeMakeCharacter(interaction: MessageContextMenuCommandInteraction, _deps: AppDeps): Promise<void> {
	const message = interaction.targetMessage;
	if (!hasPicture(message.attachments.values())) throw new UserFacingError(NO_PICTURE);
	await interaction.showModal(makeCharacterForm(message.channelId, message.id));
}

/**
 * The form of Make a character, for the picture of this message (the message command's, and a panel
 * message's **Make a character** button's): the custom id carries only where the message is.
 */
export function makeCharacterForm(channelId: string, messageId: string): ModalBuilder {
	return new ModalBuilder()
		.setCustomId(encode('make-character', [channelId, messageId]))
		.setTitle('Make a character from this picture')
		.addLabelComponents(
			(label) =>
				label
					.setLabel('Project')
					.setDescription('The name of one of your projects (see /comic project list).')
					.setTextInputComponent((input) => input.setCustomId(PROJECT_INPUT).setStyle(TextInputStyle.Short).setRequired(true).setMaxLength(100)),
			(label) =>
				label
					.setLabel('Character name')
					.setDescription('How you will call it in prompts, e.g. Mira.')
					.setTextInputComponent((input) => input.setCustomId(NAME_INPUT).setStyle(TextInputStyle.Short).setRequired(true).setMaxLength(CHARACTER_NAME_MAX)),
		);
}

/** Whether a message's attachments (as discord.js holds them) include a picture Make a character can take. */
export function hasPicture(attachments: Iterable<{ id: string; name: string; size: number; url: string; contentType: string | null }>): boolean {
	return (
		firstPicture(
			[...attachments].map((attachment) => ({
				id: attachment.id,
				filename: attachment.name,
				size: attachment.size,
				url: attachment.url,
				content_type: attachment.contentType,
			})),
		) !== undefined
	);
}

/** Reads the message again with the bot's token; a message gone or out of the bot's sight is said plainly. */
async function fetchTarget(interaction: ModalSubmitInteraction, channelId: string, messageId: string): Promise<Attachment[]> {
	try {
		return messageSchema.parse(await interaction.client.rest.get(`/channels/${channelId}/messages/${messageId}`)).attachments;
	} catch (error) {
		if (error instanceof DiscordAPIError && (error.status === 404 || error.status === 403))
			throw new UserFacingError('I cannot read that message any more (it was deleted, or I cannot see that channel). Nothing was saved.');
		throw error;
	}
}

/** The modal's answer: the same checks and storage as `/comic character add image:`, from the message's picture. */
export async function submitMakeCharacter(
	interaction: ModalSubmitInteraction,
	[channelId, messageId]: readonly [string, string],
	deps: AppDeps,
): Promise<void> {
	// Downloading and checking the picture may take longer than Discord's 3 seconds; the answer is private.
	await interaction.deferReply({ flags: MessageFlags.Ephemeral });
	const picture = firstPicture(await fetchTarget(interaction, channelId, messageId));
	if (!picture) throw new UserFacingError(NO_PICTURE);
	const attachment: AttachmentRef = { url: picture.url, name: picture.filename, size: picture.size, contentType: picture.content_type };
	const { character } = await addPictureCharacter(
		deps.db,
		{
			actor: actorOf(interaction),
			project: interaction.fields.getTextInputValue(PROJECT_INPUT),
			name: interaction.fields.getTextInputValue(NAME_INPUT),
			attachments: [attachment],
			mature: deps.interactionChannels.isAgeRestricted(interaction),
		},
		deps.config.MAX_CHARACTERS_PER_PROJECT,
	);
	const project = await deps.db.project.findUniqueOrThrow({ where: { id: character.projectId }, select: { name: true, engine: true } });
	const engine = project.engine === 'auto' ? 'nano-banana-2' : project.engine;
	await interaction.editReply({
		content: [
			`Added **${quote(character.name)}** to **${quote(project.name)}**, from that picture.`,
			`Drawn by \`${engine}\` from its picture (change it with \`/comic project edit engine:\`). Mention it in a prompt as \`@${quote(character.name)}\`; add pictures with \`/comic character pictures\`.`,
		].join('\n'),
		allowedMentions: NO_MENTIONS,
	});
}

export const makeCharacterModal: ModalHandler<'make-character'> = {
	family: 'make-character',
	inputs: [PROJECT_INPUT, NAME_INPUT],
	execute: submitMakeCharacter,
};
