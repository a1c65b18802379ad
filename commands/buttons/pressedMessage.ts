import { type ButtonInteraction, type Message, MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import { UserFacingError } from '../../src/comic/errors.ts';
import { decode } from './customId.ts';

/**
 * A press is checked against the message it came from: a custom id is only text, and a client (or a
 * forged request) can send any id on any message. Each handler names the message its rows belong to;
 * a press on another message is refused privately, before anything is acknowledged or changed, so the
 * message it was on stays as it was.
 */
export const NOT_THIS_MESSAGE = 'That button does not belong to this message. Nothing was changed.';

type Pressed = ButtonInteraction | ModalSubmitInteraction;

/** The message a press (or a modal opened by a button) came from; null for a modal opened by a command. */
function messageOf(interaction: Pressed): Message | null {
	return interaction.message ?? null;
}

/**
 * For the questions the bot asks one user privately (the delete confirmations, a story's plan): the
 * message must be an ephemeral reply to an interaction of the presser's own. What it names is then
 * checked for ownership by the handler; nobody else's message can be turned into the answer.
 */
export function checkOwnPrivateMessage(interaction: Pressed): void {
	const message = messageOf(interaction);
	if (!message) throw new UserFacingError(NOT_THIS_MESSAGE);
	const ephemeral = message.flags.has(MessageFlags.Ephemeral);
	if (!ephemeral || message.interactionMetadata?.user.id !== interaction.user.id) throw new UserFacingError(NOT_THIS_MESSAGE);
}

/** Where a drawing's message is, as stored when it was drawn (or posted again). */
export interface DrawingMessage {
	readonly messageId: string | null;
	readonly interactionId: string;
	readonly panel: { readonly storyId: string | null };
}

/**
 * A panel message's buttons name its drawing: the press must come from that drawing's message (its
 * stored id, or, for a row from before the id was known, the reply to the drawing's own interaction;
 * a story's panels have no message of their own). A modal opened by a command carries no message: the
 * owner check alone applies to it.
 */
export function checkDrawingMessage(interaction: Pressed, drawing: DrawingMessage): void {
	const message = messageOf(interaction);
	if (!message) {
		if (interaction.isButton()) throw new UserFacingError(NOT_THIS_MESSAGE);
		return;
	}
	if (drawing.messageId !== null) {
		if (drawing.messageId !== message.id) throw new UserFacingError(NOT_THIS_MESSAGE);
		return;
	}
	// A follow-up of the same interaction carries its id too: only the original reply counts.
	const metadata = message.interactionMetadata;
	const original = metadata?.id === drawing.interactionId && !metadata.originalResponseMessageId;
	if (drawing.panel.storyId !== null || !original) throw new UserFacingError(NOT_THIS_MESSAGE);
}

/** Every custom id among a message's components (rows, and anything nested in them). */
function customIdsOf(message: Message): string[] {
	const found: string[] = [];
	const walk = (node: unknown): void => {
		if (Array.isArray(node)) for (const item of node) walk(item);
		else if (typeof node === 'object' && node !== null) {
			const id: unknown = Reflect.get(node, 'custom_id');
			if (typeof id === 'string') found.push(id);
			for (const value of Object.values(node)) if (typeof value === 'object') walk(value);
		}
	};
	walk(message.components.map((component) => component.toJSON()));
	return found;
}

/**
 * A reader message shows one project: its Previous / Next both name it (also when disabled). A page of
 * another project (or a reader button on any other message) is refused; anyone in the channel may turn
 * the pages of the project the message already shows.
 */
export function checkReaderMessage(interaction: ButtonInteraction, projectId: string): void {
	const shown = customIdsOf(interaction.message).flatMap((id) => {
		const decoded = decode(id);
		return decoded?.family === 'read' ? [decoded.args[0]] : [];
	});
	if (shown.length === 0 || shown.some((id) => id !== projectId)) throw new UserFacingError(NOT_THIS_MESSAGE);
}
