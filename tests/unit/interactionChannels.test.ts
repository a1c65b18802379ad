import { Client } from 'discord.js';
import { afterAll, expect, test } from 'vitest';
import { InteractionChannels } from '../../src/discord/interactionChannels.ts';

// Never logged in: only its (empty) channel cache is used.
const client = new Client({ intents: [] });
afterAll(async () => {
	await client.destroy();
});

const payload = (id: string, channel: Record<string, unknown> | undefined) => ({ id, type: 2, ...(channel ? { channel } : {}) });
const interaction = (id: string) => ({ id, channel: null, client });

test('the age restriction comes from the raw payload, even when discord.js kept no channel', () => {
	const channels = new InteractionChannels();
	channels.remember(payload('1', { id: '10', type: 0, nsfw: true }));
	channels.remember(payload('2', { id: '11', type: 0, nsfw: false }));
	expect(channels.isAgeRestricted(interaction('1'))).toBe(true);
	expect(channels.isAgeRestricted(interaction('2'))).toBe(false);
});

test('DMs, payloads without a channel, malformed payloads and unknown interactions are not age-restricted', () => {
	const channels = new InteractionChannels();
	channels.remember(payload('1', { id: '10', type: 1, recipients: [] }));
	channels.remember(payload('2', undefined));
	channels.remember('not a payload');
	channels.remember({ id: 3, channel: { nsfw: true } });
	for (const id of ['1', '2', '3', '4']) expect(channels.isAgeRestricted(interaction(id))).toBe(false);
});

test('only the most recent interactions are remembered', () => {
	const channels = new InteractionChannels(2);
	for (const id of ['1', '2', '3']) channels.remember(payload(id, { id: '10', type: 0, nsfw: true }));
	expect(channels.isAgeRestricted(interaction('1'))).toBe(false);
	expect(channels.isAgeRestricted(interaction('2'))).toBe(true);
	expect(channels.isAgeRestricted(interaction('3'))).toBe(true);
});
