// Proves the fake Discord is real enough: the unmodified discord.js Client and @discordjs/rest talk to it.
import { DiscordAPIError, REST } from '@discordjs/rest';
import { Client, Events, MessageFlags, Routes, type ChatInputCommandInteraction, type Interaction } from 'discord.js';
import { expect, test } from 'vitest';
import WebSocket from 'ws';
import { Inflate, Z_SYNC_FLUSH } from 'zlib-sync';
import { startFakeDiscord, type FakeDiscord } from './discord.ts';
import { parseMultipart } from './multipart.ts';

async function withFake(run: (fake: FakeDiscord) => Promise<void>): Promise<void> {
	const fake = await startFakeDiscord();
	try {
		await run(fake);
	} finally {
		await fake.close();
	}
}

async function loggedInClient(fake: FakeDiscord): Promise<Client> {
	const client = new Client({ intents: [], rest: { api: fake.apiUrl } });
	const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
	await client.login(fake.botToken);
	await ready;
	return client;
}

function nextChatInput(client: Client): Promise<ChatInputCommandInteraction> {
	return new Promise((resolve) => {
		const listener = (interaction: Interaction): void => {
			if (!interaction.isChatInputCommand()) return;
			client.off(Events.InteractionCreate, listener);
			resolve(interaction);
		};
		client.on(Events.InteractionCreate, listener);
	});
}

function apiCode(error: unknown): unknown {
	return error instanceof Error && 'code' in error ? error.code : undefined;
}

function restFor(fake: FakeDiscord): REST {
	// Short retry/timeout settings keep fault tests quick; behaviour is otherwise the library default.
	return new REST({ api: fake.apiUrl, retries: 3, timeout: 5_000 }).setToken(fake.botToken);
}

test('discord.js logs in, receives a slash command, defers with response and edits in a file', async () => {
	await withFake(async (fake) => {
		const client = await loggedInClient(fake);
		try {
			expect(fake.connections).toBe(1);
			// zlib-sync is installed (an optional dependency that must have built), so discord.js asks for a compressed gateway, as the bot does in production.
			expect(fake.compressedConnections).toBe(1);
			expect(client.user?.id).toBe(fake.botUserId);

			const received = nextChatInput(client);
			const sent = fake.sendCommand({ group: 'project', subcommand: 'create', options: { name: 'Space Cats', panels: 4 } });
			const interaction = await received;
			expect(interaction.id).toBe(sent.id);
			expect(interaction.commandName).toBe('comic');
			expect(interaction.options.getSubcommandGroup()).toBe('project');
			expect(interaction.options.getSubcommand()).toBe('create');
			expect(interaction.options.getString('name')).toBe('Space Cats');
			expect(interaction.options.getInteger('panels')).toBe(4);
			expect(interaction.inGuild()).toBe(true);

			const response = await interaction.deferReply({ withResponse: true });
			const messageId = response.resource?.message?.id;
			expect(messageId).toBeDefined();
			expect(fake.originalMessage(sent.id)?.id).toBe(messageId);
			expect(fake.callbacks.get(sent.id)).toEqual([{ type: 5, data: { flags: 0 } }]);

			const edited = await interaction.editReply({
				content: 'hi',
				files: [{ attachment: Buffer.from('PNGDATA'), name: 'panel.png' }],
				embeds: [{ image: { url: 'attachment://panel.png' } }],
				allowedMentions: { parse: [] },
			});
			expect(edited.id).toBe(messageId);
			expect(edited.attachments.first()?.name).toBe('panel.png');

			const original = fake.originalMessage(sent.id);
			expect(original?.content).toBe('hi');
			expect(original?.attachments).toHaveLength(1);
			expect(original?.attachments[0]?.data.toString()).toBe('PNGDATA');
			expect(original?.attachments[0]?.content_type).toBe('image/png');
			expect(original?.allowed_mentions).toEqual({ parse: [] });
			expect((original?.flags ?? 0) & MessageFlags.Loading).toBe(0);

			const edit = fake.requests.find((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'));
			expect(edit?.status).toBe(200);
			expect(edit?.files.map((f) => f.filename)).toEqual(['panel.png']);

			// A second acknowledgement is refused the way Discord refuses it.
			await expect(interaction.reply('again')).rejects.toThrow();
		} finally {
			await client.destroy();
		}
	});
});

test('an expired interaction token gets 50027 while the bot token still edits the message', async () => {
	await withFake(async (fake) => {
		const client = await loggedInClient(fake);
		try {
			const received = nextChatInput(client);
			const { id, token } = fake.sendCommand({ subcommand: 'draw', options: { prompt: 'a cat' } });
			const interaction = await received;
			await interaction.reply({ content: 'working…' });
			const messageId = fake.originalMessage(id)?.id ?? '';
			expect(messageId).not.toBe('');

			fake.expireToken(token);
			const rest = restFor(fake);
			const failure = await rest
				.patch(Routes.webhookMessage(fake.applicationId, token), { body: { content: 'late' }, auth: false })
				.catch((error: unknown) => error);
			expect(failure).toBeInstanceOf(DiscordAPIError);
			expect(failure instanceof DiscordAPIError ? failure.code : undefined).toBe(50027);

			const channelId = interaction.channelId;
			await rest.patch(Routes.channelMessage(channelId, messageId), { body: { content: 'x' } });
			expect(fake.messages.get(messageId)?.content).toBe('x');
			expect(fake.messages.get(messageId)?.edits).toBe(1);
		} finally {
			await client.destroy();
		}
	});
});

test('REST retries a 500 and waits out a 429', async () => {
	await withFake(async (fake) => {
		const rest = restFor(fake);
		const channelId = '300000000000000009';

		fake.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/ }, { status: 500 });
		const created = await rest.post(Routes.channelMessages(channelId), { body: { content: 'first' } });
		const statuses = fake.requests.filter((r) => r.path === `/channels/${channelId}/messages`).map((r) => r.status);
		expect(statuses).toEqual([500, 200]);
		expect(fake.messagesInChannel(channelId).map((m) => m.content)).toEqual(['first']);
		expect(created).toMatchObject({ content: 'first', channel_id: channelId });

		const limited: number[] = [];
		rest.on('rateLimited', (info) => limited.push(info.retryAfter));
		fake.failNext({ method: 'POST' }, { status: 429, retryAfter: 1 });
		const started = Date.now();
		await rest.post(Routes.channelMessages(channelId), { body: { content: 'second' } });
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(limited).toHaveLength(1);
		expect(fake.messagesInChannel(channelId).map((m) => m.content)).toEqual(['first', 'second']);
	});
});

test('a dropped gateway resumes and interactions flow again', async () => {
	await withFake(async (fake) => {
		const client = await loggedInClient(fake);
		try {
			fake.dropGateway();
			expect(fake.connections).toBe(0);
			await fake.waitFor(() => fake.connections === 1);
			const received = nextChatInput(client);
			const sent = fake.sendCommand({ subcommand: 'status' });
			expect((await received).id).toBe(sent.id);
		} finally {
			await client.destroy();
		}
	});
});

test('buttons, autocomplete, follow-ups, DMs and the 3 second deadline', async () => {
	await withFake(async (fake) => {
		const client = await loggedInClient(fake);
		const seen: Interaction[] = [];
		client.on(Events.InteractionCreate, (interaction) => void seen.push(interaction));
		try {
			const rest = restFor(fake);
			const posted = await rest.post(Routes.channelMessages('300000000000000001'), {
				body: { content: 'panel', components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: 'reroll', label: 'Re-roll' }] }] },
			});
			const postedId = typeof posted === 'object' && posted !== null && 'id' in posted ? String(posted.id) : '';

			const button = fake.sendButton({ customId: 'reroll', messageId: postedId });
			const press = await fake.waitFor(() => seen.find((i) => i.id === button.id));
			if (!press.isButton()) throw new Error('expected a button interaction');
			expect(press.customId).toBe('reroll');
			expect(press.message.id).toBe(postedId);
			await press.update({ content: 'rerolling', components: [] });
			expect(fake.messages.get(postedId)).toMatchObject({ content: 'rerolling', components: [], edits: 1 });

			const secret = await press.followUp({ content: 'only you', flags: MessageFlags.Ephemeral });
			expect(fake.messages.get(secret.id)?.ephemeral).toBe(true);
			// The bot token cannot see ephemeral messages, just like on Discord.
			const hidden = await rest.get(Routes.channelMessage('300000000000000001', secret.id)).catch((error: unknown) => error);
			expect(hidden instanceof DiscordAPIError ? hidden.code : undefined).toBe(10008);

			const typing = fake.sendAutocomplete({ subcommand: 'draw', options: { style: 'nei' }, focused: 'style' });
			const auto = await fake.waitFor(() => seen.find((i) => i.id === typing.id));
			if (!auto.isAutocomplete()) throw new Error('expected autocomplete');
			expect(auto.options.getFocused(true)).toMatchObject({ name: 'style', value: 'nei' });
			await auto.respond([{ name: 'Neighbourhood', value: 'neighbourhood' }]);
			expect(fake.autocompleteChoices(typing.id)).toEqual([{ name: 'Neighbourhood', value: 'neighbourhood' }]);

			const dm = fake.sendCommand({ subcommand: 'help', guildId: null });
			const inDm = await fake.waitFor(() => seen.find((i) => i.id === dm.id));
			expect(inDm.inGuild()).toBe(false);
			expect(inDm.user.id).toBe('100000000000000001');

			fake.callbackDeadlineMs = 0;
			const late = fake.sendCommand({ subcommand: 'help' });
			const lateInteraction = await fake.waitFor(() => seen.find((i) => i.id === late.id));
			if (!lateInteraction.isChatInputCommand()) throw new Error('expected a command');
			await fake.waitFor(() => Date.now() > lateInteraction.createdTimestamp);
			const error = await lateInteraction.deferReply().catch((e: unknown) => e);
			// discord.js loads @discordjs/rest through require(), so its errors are the CommonJS
			// DiscordAPIError class, not the one this ESM file imports: compare the code, not the class.
			expect(apiCode(error)).toBe(10062);
		} finally {
			await client.destroy();
		}
	});
});

test('the first follow-up of a public deferral still loading becomes that public message; after deleting it, a follow-up is private', async () => {
	await withFake(async (fake) => {
		const client = await loggedInClient(fake);
		try {
			const receivedFirst = nextChatInput(client);
			const first = fake.sendCommand({ subcommand: 'draw' });
			const loading = await receivedFirst;
			await loading.deferReply();
			const followUp = await loading.followUp({ content: 'meant to be private', flags: MessageFlags.Ephemeral });
			expect(followUp.id).toBe(fake.originalMessage(first.id)?.id);
			expect(fake.messages.get(followUp.id)).toMatchObject({ content: 'meant to be private', ephemeral: false });

			const receivedSecond = nextChatInput(client);
			const second = fake.sendCommand({ subcommand: 'draw' });
			const withdrawn = await receivedSecond;
			await withdrawn.deferReply();
			await withdrawn.deleteReply();
			const secret = await withdrawn.followUp({ content: 'private', flags: MessageFlags.Ephemeral });
			expect(fake.originalMessage(second.id)?.deleted).toBe(true);
			expect(fake.messages.get(secret.id)).toMatchObject({ content: 'private', ephemeral: true });
		} finally {
			await client.destroy();
		}
	});
});

test('command deployment is stored and validated; auth and unknown routes answer like Discord', async () => {
	await withFake(async (fake) => {
		const rest = restFor(fake);
		const route = Routes.applicationGuildCommands(fake.applicationId, '200000000000000001');
		const body = [{ name: 'comic', description: 'Draw comics', options: [{ type: 1, name: 'draw', description: 'Draw a panel' }] }];
		const answer = await rest.put(route, { body });
		expect(Array.isArray(answer) ? answer[0] : undefined).toMatchObject({ name: 'comic', id: expect.any(String) });
		expect(fake.registeredCommands).toEqual([{ scope: '200000000000000001', commands: [expect.objectContaining({ name: 'comic' })] }]);

		const bad = await rest.put(route, { body: [{ name: 'Comic!', description: 'x' }] }).catch((e: unknown) => e);
		expect(bad instanceof DiscordAPIError ? bad.code : undefined).toBe(50035);

		const wrongToken = new REST({ api: fake.apiUrl }).setToken('nope');
		const unauthorized = await wrongToken.get(Routes.user('@me')).catch((e: unknown) => e);
		expect(unauthorized instanceof DiscordAPIError ? unauthorized.status : undefined).toBe(401);

		const missing = await rest.get('/nothing/here').catch((e: unknown) => e);
		expect(missing instanceof DiscordAPIError ? missing.status : undefined).toBe(404);
		expect(fake.requests.at(-1)).toMatchObject({ path: '/nothing/here', status: 404 });

		fake.stallNext({ path: /^\/users\/@me$/ }, 300);
		const started = Date.now();
		await rest.get(Routes.user('@me'));
		expect(Date.now() - started).toBeGreaterThanOrEqual(250);
	});
});

test('attachments survive edits unless the list drops them, and their bytes can be downloaded', async () => {
	const fake = await startFakeDiscord();
	const client = await loggedInClient(fake);
	try {
		const received = nextChatInput(client);
		const sent = fake.sendCommand({ subcommand: 'draw' });
		const interaction = await received;
		await interaction.reply({ content: 'v1', files: [{ attachment: Buffer.from('ONE'), name: 'one.png' }] });
		const original = fake.originalMessage(sent.id);
		expect(original?.attachments.map((a) => a.filename)).toEqual(['one.png']);

		await interaction.editReply({ content: 'v2' });
		expect(original?.attachments.map((a) => a.filename)).toEqual(['one.png']);
		await interaction.editReply({ files: [{ attachment: Buffer.from('TWO'), name: 'two.png' }], attachments: [] });
		expect(original?.attachments.map((a) => a.filename)).toEqual(['two.png']);
		expect(original?.history).toHaveLength(3);

		const url = original?.attachments[0]?.url ?? '';
		const download = await fetch(url);
		expect(await download.text()).toBe('TWO');

		const emptied = await interaction.editReply({ content: '', attachments: [] }).catch((e: unknown) => e);
		expect(apiCode(emptied)).toBe(50006);
	} finally {
		await client.destroy();
	}
	// close() must not wait for a stalled request to finish.
	fake.stallNext({ path: /^\/users\/@me$/ }, 60_000);
	const pending = restFor(fake)
		.get(Routes.user('@me'))
		.catch(() => 'aborted');
	await fake.waitFor(() => fake.requests.some((r) => r.path === '/users/@me'));
	const started = Date.now();
	await fake.close();
	expect(Date.now() - started).toBeLessThan(2_000);
	expect(await pending).toBe('aborted');
});

test('multipart parser keeps binary file bytes intact', () => {
	const boundary = '----x';
	const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff]);
	const body = Buffer.concat([
		Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="payload_json"\r\n\r\n{"a":1}\r\n`),
		Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files[0]"; filename="p%22q.png"\r\nContent-Type: image/png\r\n\r\n`),
		binary,
		Buffer.from(`\r\n--${boundary}--\r\n`),
	]);
	const parts = parseMultipart(body, `multipart/form-data; boundary=${boundary}`);
	expect(parts.map((p) => p.name)).toEqual(['payload_json', 'files[0]']);
	expect(parts[0]?.data.toString()).toBe('{"a":1}');
	expect(parts[1]?.filename).toBe('p"q.png');
	expect(parts[1]?.data.equals(binary)).toBe(true);
});

function idOf(answer: unknown): string {
	if (typeof answer !== 'object' || answer === null || !('id' in answer) || typeof answer.id !== 'string') throw new Error('not a message');
	return answer.id;
}

test('enforce_nonce: the same nonce in the same channel returns the first message instead of a second one', async () => {
	await withFake(async (fake) => {
		const rest = restFor(fake);
		const body = { content: 'panel', nonce: 'panel-nonce-1', enforce_nonce: true };
		const first = idOf(await rest.post(Routes.channelMessages('300000000000000001'), { body }));
		const again = idOf(await rest.post(Routes.channelMessages('300000000000000001'), { body }));
		const elsewhere = idOf(await rest.post(Routes.channelMessages('300000000000000002'), { body }));
		const unenforced = idOf(await rest.post(Routes.channelMessages('300000000000000001'), { body: { ...body, enforce_nonce: false } }));
		expect(again).toBe(first);
		expect(elsewhere).not.toBe(first);
		expect(unenforced).not.toBe(first);
		expect(fake.messagesInChannel('300000000000000001')).toHaveLength(2);
		expect(fake.messages.get(first)?.nonce).toBe('panel-nonce-1');
	});
});

test('zlib-stream: one zlib stream per connection, each payload a binary frame ending in a sync flush', async () => {
	await withFake(async (fake) => {
		const ws = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
		const inflate = new Inflate({ chunkSize: 65_536, to: 'string' });
		const payloads: unknown[] = [];
		const frames: { data: Buffer; isBinary: boolean; inflateError: number }[] = [];
		ws.on('message', (data: Buffer, isBinary: boolean) => {
			inflate.push(data, Z_SYNC_FLUSH);
			frames.push({ data, isBinary, inflateError: inflate.err });
			if (inflate.err === 0) payloads.push(JSON.parse(String(inflate.result)));
		});
		await fake.waitFor(() => payloads.length > 0 || undefined);
		ws.send(JSON.stringify({ op: 2, d: { token: fake.botToken, intents: 0, properties: {} } }));
		await fake.waitFor(() => fake.connections > 0 || undefined);
		for (let index = 0; index < 3; index++) fake.dispatch('TEST_EVENT', { index, text: 'the same words again and again' });
		await fake.waitFor(() => frames.length === 5 || undefined);
		expect(payloads.map((payload) => (payload as { op: number; t: string | null }).t)).toEqual([null, 'READY', 'TEST_EVENT', 'TEST_EVENT', 'TEST_EVENT']);
		expect(payloads.at(-1)).toMatchObject({ op: 0, s: 4, d: { index: 2 } });
		for (const frame of frames) {
			expect(frame).toMatchObject({ isBinary: true, inflateError: 0 });
			expect([...frame.data.subarray(-4)]).toEqual([0x00, 0x00, 0xff, 0xff]);
		}
		// One stream: later payloads refer back to earlier ones, so a repeated payload is much smaller.
		expect(frames[4]?.data.length).toBeLessThan((frames[2]?.data.length ?? 0) / 2);
		ws.close();

		const unknown = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json&compress=zstd-stream`);
		const closed = await new Promise<number>((resolve) => unknown.on('close', (code) => resolve(code)));
		expect(closed).toBe(4000);
	});
});

test('forum posts, threads from a message, thread edits and permission failures answer as Discord does (@discordjs/rest)', async () => {
	await withFake(async (fake) => {
		const rest = restFor(fake);
		const forum = fake.addChannel({ type: 15, name: 'comics', tags: ['Comics'], requireTag: true });
		const tag = forum.availableTags[0]?.id ?? '';
		const file = { name: 'page-001.jpg', data: Buffer.from('jpeg bytes') };
		const message = { content: 'cover', attachments: [{ id: 0, filename: file.name }], allowed_mentions: { parse: [] } };
		// A forum that requires a tag refuses a post without one.
		await expect(rest.post(Routes.threads(forum.id), { body: { name: 'Lighthouse', message }, files: [file] })).rejects.toMatchObject({ code: 40067 });
		const post = (await rest.post(Routes.threads(forum.id), { body: { name: 'Lighthouse', applied_tags: [tag], message }, files: [file] })) as Record<
			string,
			unknown
		>;
		const starter = post['message'] as Record<string, unknown>;
		expect(post).toMatchObject({ type: 11, parent_id: forum.id, name: 'Lighthouse', applied_tags: [tag] });
		expect(starter['id']).toBe(post['id']);
		expect(fake.messagesInChannel(String(post['id']))[0]?.attachments[0]?.data.toString()).toBe('jpeg bytes');
		// A forum takes no plain messages; its post does.
		await expect(rest.post(Routes.channelMessages(forum.id), { body: { content: 'x' } })).rejects.toMatchObject({ code: 50008 });
		const page = (await rest.post(Routes.channelMessages(String(post['id'])), { body: { content: 'pages 2–3' } })) as { id: string };
		await rest.patch(Routes.channelMessage(String(post['id']), page.id), { body: { content: 'pages 2–4' } });
		await rest.delete(Routes.channelMessage(String(post['id']), page.id));
		expect(fake.messagesInChannel(String(post['id']))).toHaveLength(1);
		await expect(rest.patch(Routes.channel(String(post['id'])), { body: { applied_tags: ['1'] } })).rejects.toMatchObject({ status: 400 });
		await rest.patch(Routes.channel(String(post['id'])), { body: { name: 'Lighthouse (revised)', archived: false } });
		expect(fake.threadsIn(forum.id).map((thread) => thread.name)).toEqual(['Lighthouse (revised)']);
		expect((await rest.get(Routes.channel(forum.id))) as Record<string, unknown>).toMatchObject({ type: 15, available_tags: [{ id: tag, name: 'Comics' }] });

		const text = fake.addChannel({ type: 0, name: 'general', botDenied: 1n << 15n });
		const cover = (await rest.post(Routes.channelMessages(text.id), { body: { content: 'cover' } })) as { id: string };
		const thread = (await rest.post(Routes.threads(text.id, cover.id), { body: { name: 'Lighthouse' } })) as Record<string, unknown>;
		expect(thread).toMatchObject({ id: cover.id, type: 11, parent_id: text.id });
		// No Attach Files there: a file is refused with 403 50013, in the channel and in its thread.
		const refused = rest.post(Routes.channelMessages(cover.id), { body: { content: 'page' }, files: [file] });
		await expect(refused).rejects.toBeInstanceOf(DiscordAPIError);
		await expect(refused).rejects.toMatchObject({ status: 403, code: 50013 });
		fake.deleteChannel(cover.id);
		await expect(rest.get(Routes.channel(cover.id))).rejects.toMatchObject({ code: 10003 });
	});
});
