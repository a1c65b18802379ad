// Helpers for story tests: a scripted planner on the fake OpenAI server, and the story's messages.
import type { ChatRequest, FakeOpenAI } from '../../fakes/openai.ts';
import { defaultReply } from '../../fakes/openai.ts';
import type { FakeMessage } from '../../fakes/discord.ts';
import { pressButton, type World } from '../../world.ts';

export type PlannedPanel = { description: string; characters?: string[]; caption?: string; dialogue?: string };

export const planJson = (panels: readonly PlannedPanel[]): string => JSON.stringify({ panels });

/** Answers planning requests with `plan` (called with the count of planning requests so far); other requests as the default fake does. */
export function scriptPlanner(openai: FakeOpenAI, plan: (attempt: number, request: ChatRequest) => string): { planning: () => number } {
	let count = 0;
	openai.reply = (request) => {
		if (!request.messages.some((message) => message.role === 'system' && message.content.startsWith('You plan comics'))) return defaultReply(request);
		count++;
		return plan(count, request);
	};
	return { planning: () => count };
}

/** The custom id of the button whose label contains `label`. */
export function buttonId(message: FakeMessage, label: string): string {
	const text = JSON.stringify(message.components);
	const found = [...text.matchAll(/"custom_id":"([^"]+)"[^}]*?"label":"([^"]+)"|"label":"([^"]+)"[^}]*?"custom_id":"([^"]+)"/g)].find((match) =>
		(match[2] ?? match[3] ?? '').includes(label),
	);
	const id = found?.[1] ?? found?.[4];
	if (!id) throw new Error(`no button "${label}" in ${text}`);
	return id;
}

/** Presses a button of a message as `userId`. */
export function press(world: World, message: FakeMessage, label: string, userId: string) {
	return pressButton(world, { customId: buttonId(message, label), messageId: message.id, userId, channelId: message.channel_id });
}

/** The public message that follows a story (the follow-up of the Draw all press). */
export function storyMessage(world: World, pressId: string): FakeMessage | undefined {
	return [...world.discord.messages.values()].find(
		(message) => message.interactionId === pressId && !message.ephemeral && !message.deleted && message.content.includes('story'),
	);
}
