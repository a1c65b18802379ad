// Helpers for the panel-button tests: find a message's buttons by label, press them, read the answers.
import type { FakeMessage } from '../../fakes/discord.ts';
import { pressButton, type World } from '../../world.ts';
import { drawPanel, type Setup } from './panels.ts';

export interface FakeButton {
	readonly label: string;
	readonly customId: string;
	readonly style: number;
}

/** Every button of a message, row by row. */
export function buttonsOf(message: FakeMessage): FakeButton[] {
	return message.components.flatMap((row) => {
		const components = typeof row === 'object' && row !== null && 'components' in row && Array.isArray(row.components) ? row.components : [];
		return components.flatMap((component: unknown) => {
			if (typeof component !== 'object' || component === null) return [];
			const label = Reflect.get(component, 'label');
			const customId = Reflect.get(component, 'custom_id');
			const style = Reflect.get(component, 'style');
			return typeof label === 'string' && typeof customId === 'string' ? [{ label, customId, style: Number(style) }] : [];
		});
	});
}

/** The labels of a message's buttons. */
export function labelsOf(message: FakeMessage): string[] {
	return buttonsOf(message).map((button) => button.label);
}

/** The button whose label has `word` as a whole word ("Use 1" does not match "Use 12"). */
export function buttonOf(message: FakeMessage, word: string): FakeButton {
	const pattern = new RegExp(`(^|\\s)${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|\\s)`);
	const found = buttonsOf(message).find((button) => pattern.test(button.label));
	if (!found) throw new Error(`no button "${word}" among ${JSON.stringify(labelsOf(message))}`);
	return found;
}

/** Presses the button labelled `word` on `message` as `userId`. */
export function press(world: World, message: FakeMessage, word: string, userId: string): Promise<{ id: string; callback: { type: number; data: unknown } }> {
	return pressButton(world, { customId: buttonOf(message, word).customId, messageId: message.id, userId });
}

/** The message that answers an interaction (its reply, or the message it updated) once it has text. */
export function answerOf(world: World, interactionId: string, check: (message: FakeMessage) => boolean = () => true): Promise<FakeMessage> {
	return world.waitForOriginal(interactionId, (message) => (message.content !== '' || message.embeds.length > 0) && check(message));
}

/** Text of a message: its content and embeds, for `toContain`. */
export function textOf(message: FakeMessage): string {
	return `${message.content}\n${JSON.stringify(message.embeds)}`;
}

/** Draws a panel and waits until its message shows `takes` pictures and its buttons. */
export async function readyPanel(world: World, setup: Setup, prompt: string, takes = 1): Promise<{ id: string; message: FakeMessage }> {
	const sent =
		takes === 1
			? drawPanel(world, setup, prompt)
			: world.discord.sendCommand({ userId: setup.userId, subcommand: 'panel', options: { project: setup.project, prompt, enhance: false, takes } });
	const message = await world.waitForOriginal(sent.id, (original) => original.attachments.length === takes && buttonsOf(original).length > 0, 20_000);
	return { id: sent.id, message };
}
