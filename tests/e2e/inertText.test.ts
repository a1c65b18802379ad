// User text shown by the bot forms no Markdown: a masked link, a heading, a list or a block quote
// typed into a name, a prompt or a story shows as typed, in every message the fake Discord receives.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { modelVersion } from '../fakes/civitai.ts';
import type { FakeMessage } from '../fakes/discord.ts';
import { startWorld, type World } from '../world.ts';
import { answerOf, buttonsOf, press } from './support/actions.ts';
import { newUserId } from './support/panels.ts';
import { planJson, scriptPlanner } from './support/story.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world?.close();
});

const PROJECT = '[click](https://evil.example)';
const CHARACTER = '> quoted [hero](https://evil.example/hero)';
const PROMPT = '# big\n- a list item\n1. a numbered one\n> a quote\n```code``` <#123> <t:1:R>';

/** Every text Discord would render as Markdown, in every version of every message the bot sent or edited. */
function renderedTexts(messages: Iterable<FakeMessage>): string[] {
	const texts: string[] = [];
	const fromBody = (body: unknown) => {
		if (typeof body !== 'object' || body === null) return;
		const content = Reflect.get(body, 'content');
		if (typeof content === 'string') texts.push(content);
		const embeds = Reflect.get(body, 'embeds');
		for (const embed of Array.isArray(embeds) ? embeds : []) {
			if (typeof embed !== 'object' || embed === null) continue;
			for (const key of ['title', 'description']) {
				const value = Reflect.get(embed, key);
				if (typeof value === 'string') texts.push(value);
			}
			const fields = Reflect.get(embed, 'fields');
			for (const field of Array.isArray(fields) ? fields : []) {
				for (const key of ['name', 'value']) {
					const value = typeof field === 'object' && field !== null ? Reflect.get(field, key) : undefined;
					if (typeof value === 'string') texts.push(value);
				}
			}
		}
	};
	for (const message of messages) {
		fromBody(message);
		for (const body of message.history) fromBody(body);
	}
	return texts;
}

/** What Markdown would make of the user text above, if it were not escaped. */
const STRUCTURE = [
	/(?<!\\)\[click(?<!\\)\]\(/, // a masked link
	/(?<!\\)\[hero(?<!\\)\]\(/,
	/^[ \t]*(?:>[ \t]*)*#{1,3}[ \t]+big/m, // a heading, also inside a block quote
	/^[ \t]*(?:>[ \t]*)*-[ \t]+a list item/m, // a list
	/^[ \t]*(?:>[ \t]*)*1\.[ \t]+a numbered/m,
	/^[ \t]*>[ \t]+(?:a quote|quoted)/m, // a block quote of the user's
	/(?<!\\)```code/, // a code block
	/(?<!\\)<#123>/, // a channel link
	/(?<!\\)<t:1:R>/, // a timestamp
];

/** The bot's own code blocks (Details shows the prompt sent in one, "```" then a line break): inside them Markdown is inert. */
const BOT_CODE_BLOCK = /(?<!\\)```\n[\s\S]*?```/g;

function expectInert(texts: readonly string[]): void {
	for (const text of texts) {
		const rendered = text.replace(BOT_CODE_BLOCK, '');
		for (const pattern of STRUCTURE) expect(rendered, `${pattern} in ${JSON.stringify(text)}`).not.toMatch(pattern);
	}
}

test('a project named like a masked link and a prompt of Markdown blocks show escaped in every message', async () => {
	const userId = newUserId();
	const created = await world.command({ userId, group: 'project', subcommand: 'create', options: { name: PROJECT, description: PROMPT } });
	expect(created.reply.content).toContain('\\[click\\](https://evil.example)');
	const version = modelVersion({ baseModel: 'SDXL 1.0', trainedWords: ['herochar'] });
	world.civitai.addModelVersion(version);
	const added = await world.command({
		userId,
		group: 'character',
		subcommand: 'add',
		options: { project: PROJECT, model: String(version.id), name: CHARACTER },
	});
	await world.waitForOriginal(added.id, (message) => message.content.includes('Added'));

	const sent = world.discord.sendCommand({ userId, subcommand: 'panel', options: { project: PROJECT, prompt: PROMPT, enhance: false } });
	const panel = await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1 && buttonsOf(message).length > 0, 20_000);
	expect(JSON.stringify(panel.embeds)).toContain('\\\\# big');
	const details = await press(world, panel, 'Details', userId);
	await answerOf(world, details.id);
	for (const subcommand of ['show', 'delete'] as const) await world.command({ userId, group: 'project', subcommand, options: { project: PROJECT } });
	await world.command({ userId, group: 'project', subcommand: 'list' });
	await world.command({ userId, group: 'character', subcommand: 'list', options: { project: PROJECT } });
	await world.command({ userId, group: 'panels', subcommand: 'delete', options: { project: PROJECT, panel: 1 } });
	await world.command({ userId, group: 'panels', subcommand: 'move', options: { project: PROJECT, panel: 1, to: 1 } });
	const read = world.discord.sendCommand({ userId, subcommand: 'read', options: { project: PROJECT } });
	await world.waitForOriginal(read.id, (message) => message.attachments.length === 1, 20_000);
	const exported = world.discord.sendCommand({ userId, subcommand: 'export', options: { project: PROJECT } });
	await world.waitForOriginal(exported.id, (message) => message.attachments.length > 0, 20_000);
	// A refusal that names what was typed: an unknown character of this project.
	await world.command({ userId, subcommand: 'panel', options: { project: PROJECT, prompt: 'x', character: '[ghost](https://evil.example)' } });
	// The story's plan as the language model wrote it is shown escaped too.
	scriptPlanner(world.openai, () =>
		planJson([{ description: PROMPT, characters: [CHARACTER], caption: '[cap](https://evil.example)' }, { description: '## big' }]),
	);
	const story = world.discord.sendCommand({ userId, subcommand: 'story', options: { project: PROJECT, story: PROMPT } });
	await world.waitForOriginal(story.id, (message) => message.content.includes('Buzz') || message.content.includes('cost'), 20_000);

	const texts = renderedTexts(world.discord.messages.values());
	expect(texts.join('\n')).toContain('\\[click\\](https://evil.example)');
	expect(texts.join('\n')).toContain('\\[cap\\](https://evil.example)');
	expectInert(texts);
}, 90_000);
