// A small real Discord for tests: REST + gateway on 127.0.0.1 that the real discord.js Client and
// @discordjs/rest talk to over HTTP and WebSocket. It keeps the state that matters for an image bot
// (interactions, tokens that expire, messages with attachment bytes) and can inject faults.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { validateChoices, validateCommands } from './discord-commands.ts';
import { FakeGateway } from './discord-gateway.ts';
import {
	type Answer,
	type Fault,
	FaultQueue,
	type RecordedRequest,
	type RequestMatch,
	type Route,
	decodePath,
	dispatchRoute,
	errorAnswer,
	faultAnswer,
	json,
	noContent,
	notFound,
	parseRequestBody,
	readBody,
	route,
} from './discord-http.ts';
import {
	type ApiUser,
	apiUser,
	type AutocompleteInput,
	type ButtonInput,
	type ModalInput,
	type CommandInput,
	type CommandAttachment,
	modalSubmitData,
	resolvedUsers,
	DEFAULT_CHANNEL_ID,
	DEFAULT_GUILD_ID,
	DEFAULT_USER_ID,
	channelPayload,
	commandOptions,
	contextFrom,
	interactionPayload,
	isRecord,
	randomToken,
	snowflake,
} from './discord-interactions.ts';
import {
	appliedTags,
	type ChannelInit,
	ChannelKind,
	channelApi,
	type FakeChannel,
	isThreadOnly,
	newChannel,
	Permission,
	requirePermission,
	resolvedChannel,
	threadName,
} from './discord-channels.ts';
import { ApiError, FLAG_EPHEMERAL, FLAG_LOADING, type FakeMessage, applyMessageBody, formError, toApiMessage } from './discord-messages.ts';

export type { Fault, RecordedRequest, RequestMatch } from './discord-http.ts';
export type { AutocompleteInput, ButtonInput, CommandInput, ModalInput } from './discord-interactions.ts';
export type { FakeMessage } from './discord-messages.ts';
export type { ChannelInit, FakeChannel } from './discord-channels.ts';
export { ChannelKind, Permission } from './discord-channels.ts';

export interface CallbackRecord {
	type: number;
	data: unknown;
}

export interface FakeInteraction {
	id: string;
	token: string;
	type: number;
	payload: Record<string, unknown>;
	channelId: string;
	guildId: string | null;
	createdAt: number;
	expiresAt: number;
	acknowledged: boolean;
	/** The message `@original` refers to: created by callback 4/5, or the component's message after 6/7. */
	originalMessageId?: string;
	componentMessageId?: string;
	followUpIds: string[];
}

export interface SentInteraction {
	id: string;
	token: string;
}

/** An interaction known to the fake but not dispatched: HTTP interactions mode, where tests POST `payload` to the bot. */
export interface CreatedInteraction extends SentInteraction {
	payload: Record<string, unknown>;
}

export interface RegisteredCommands {
	scope: 'global' | string;
	commands: unknown[];
}

export interface FakeDiscordOptions {
	applicationId?: string;
	botToken?: string;
	/** Defaults to the application id, as for most bots. */
	botUserId?: string;
}

interface MessageInit {
	id?: string;
	channelId: string;
	guildId: string | null;
	type: number;
	interaction?: FakeInteraction;
}

const MAX_REQUEST_BYTES = 25 * 1024 * 1024;

export class FakeDiscord {
	readonly apiUrl: string;
	readonly gatewayUrl: string;
	readonly baseUrl: string;
	readonly applicationId: string;
	readonly botUserId: string;
	readonly botToken: string;
	readonly botUser: ApiUser;
	readonly requests: RecordedRequest[] = [];
	readonly callbacks = new Map<string, CallbackRecord[]>();
	readonly messages = new Map<string, FakeMessage>();
	readonly interactions = new Map<string, FakeInteraction>();
	readonly registeredCommands: RegisteredCommands[] = [];
	/** How long an interaction token works for webhook routes. */
	tokenTtlMs = 15 * 60_000;
	/** The first callback must arrive within this, as on Discord (3 s); later ones get 10062. */
	callbackDeadlineMs = 3_000;
	/** Per-file upload limit, the `attachment_size_limit` interactions advertise. */
	attachmentSizeLimit = 10 * 1024 * 1024;
	/** How long `enforce_nonce` dedupes a repeated channel POST ("the past few minutes" on Discord). */
	nonceWindowMs = 5 * 60_000;

	/** Files users attached to commands (ATTACHMENT options), served on the CDN route by id. */
	private readonly uploads = new Map<string, { data: Buffer; contentType?: string }>();
	private readonly faults = new FaultQueue();
	private readonly gateway: FakeGateway;
	private readonly byToken = new Map<string, FakeInteraction>();
	/** `channel:nonce` → the message an `enforce_nonce` POST created, and when. */
	private readonly nonces = new Map<string, { messageId: string; at: number }>();
	private readonly channels = new Map<string, { guildId: string | null; nsfw: boolean }>();
	/** Channels a test made (forum, media, text) and the threads the bot opened in them. */
	readonly channelsById = new Map<string, FakeChannel>();
	private readonly routes: Route[];
	private readonly closing = new AbortController();

	/** Use `startFakeDiscord()`; the server must already listen on `port`. */
	constructor(
		private readonly server: Server,
		port: number,
		options: FakeDiscordOptions = {},
	) {
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.apiUrl = `${this.baseUrl}/api`;
		this.gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
		this.applicationId = options.applicationId ?? '400000000000000001';
		this.botUserId = options.botUserId ?? this.applicationId;
		this.botToken = options.botToken ?? 'test-bot-token';
		this.botUser = { id: this.botUserId, username: 'comic-bot', discriminator: '0', bot: true, avatar: null, global_name: null };
		this.routes = this.buildRoutes();
		server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res));
		this.gateway = new FakeGateway({
			url: this.gatewayUrl,
			botToken: this.botToken,
			readyData: () => ({
				v: 10,
				user: this.botUser,
				application: { id: this.applicationId, flags: 0 },
				// discord.js waits for every listed guild; without the list at all, login hangs silently.
				guilds: [],
				shard: [0, 1],
				private_channels: [],
				presences: [],
				relationships: [],
				user_settings: {},
				guild_join_requests: [],
			}),
		});
		this.gateway.attach(server);
	}

	/** Gateway sockets that completed IDENTIFY or RESUME and are open: the ones dispatches reach. */
	get connections(): number {
		return this.gateway.connections;
	}

	/** Gateway sockets that asked for zlib-stream compression (discord.js does when zlib-sync is installed). */
	get compressedConnections(): number {
		return this.gateway.compressedConnections;
	}

	// ---- test controls ----------------------------------------------------------------------------

	failNext(match: RequestMatch, fault: Fault): void {
		this.faults.add(match, fault.times ?? 1, fault.delayMs ?? 0, fault);
	}

	/** The next matching request is answered normally, but only after `ms`. */
	stallNext(match: RequestMatch, ms: number, times = 1): void {
		this.faults.add(match, times, ms);
	}

	expireToken(token: string): void {
		const interaction = this.byToken.get(token);
		if (!interaction) throw new Error(`expireToken: unknown token ${token}`);
		interaction.expiresAt = Date.now() - 1;
	}

	/** Marks a message deleted (as if a moderator removed it); later lookups answer 10008. */
	deleteMessage(id: string): void {
		const message = this.messages.get(id);
		if (!message) throw new Error(`deleteMessage: unknown message ${id}`);
		message.deleted = true;
	}

	/** A channel of the default guild (a forum, media or text channel) that commands may name in a CHANNEL option. */
	addChannel(init: ChannelInit): FakeChannel {
		const channel = newChannel(init, DEFAULT_GUILD_ID);
		this.channelsById.set(channel.id, channel);
		this.channels.set(channel.id, { guildId: channel.guildId, nsfw: channel.nsfw });
		return channel;
	}

	/** Deletes a channel or a thread (a moderator removed the post); later calls to it answer 10003. */
	deleteChannel(id: string): void {
		const channel = this.channelsById.get(id);
		if (!channel) throw new Error(`deleteChannel: unknown channel ${id}`);
		channel.deleted = true;
	}

	/** The threads (posts) opened in a channel, not deleted, oldest first. */
	threadsIn(parentId: string): FakeChannel[] {
		return [...this.channelsById.values()].filter((channel) => channel.parentId === parentId && !channel.deleted);
	}

	/** Closes every gateway socket; 4000 (unknown error) makes discord.js resume, 1000 re-identify. */
	dropGateway(code = 4000): void {
		this.gateway.drop(code);
	}

	originalMessage(interactionId: string): FakeMessage | undefined {
		const id = this.interactions.get(interactionId)?.originalMessageId;
		return id === undefined ? undefined : this.messages.get(id);
	}

	/** Messages not deleted, oldest first; includes ephemeral ones (check `ephemeral`). */
	messagesInChannel(channelId: string): FakeMessage[] {
		return [...this.messages.values()].filter((message) => message.channel_id === channelId && !message.deleted);
	}

	autocompleteChoices(interactionId: string): unknown[] | undefined {
		const data = this.callbacks.get(interactionId)?.find((callback) => callback.type === 8)?.data;
		return isRecord(data) && Array.isArray(data['choices']) ? data['choices'] : undefined;
	}

	async waitFor<T>(check: () => T | undefined | false | null, timeoutMs = 10_000): Promise<T> {
		const deadline = Date.now() + timeoutMs;
		let lastError: unknown;
		for (;;) {
			try {
				const value = check();
				if (value !== undefined && value !== false && value !== null) return value;
			} catch (error) {
				lastError = error;
			}
			if (Date.now() >= deadline) break;
			await sleep(20);
		}
		const recent = this.requests
			.slice(-8)
			.map((r) => `  ${r.method} ${r.path} → ${r.status}`)
			.join('\n');
		throw new Error(
			`waitFor timed out after ${timeoutMs} ms waiting for: ${check.toString()}` +
				(lastError === undefined ? '' : `\nlast error from the check: ${String(lastError)}`) +
				`\nlast requests:\n${recent || '  (none)'}`,
		);
	}

	// ---- interactions -----------------------------------------------------------------------------

	sendCommand(input: CommandInput = {}): SentInteraction {
		const name = input.name ?? 'comic';
		const options = commandOptions(input);
		for (const file of Object.values(input.attachments ?? {})) if (file.id && !file.gone) this.uploads.set(file.id, file);
		const users = resolvedUsers(input, (id, filename) => this.attachmentUrl('uploads', id, filename));
		const channels = Object.values(input.channels ?? {}).map((id) => {
			const channel = this.channelsById.get(id);
			if (!channel) throw new Error(`sendCommand: unknown channel ${id}; make it with addChannel()`);
			return [id, resolvedChannel(channel)] as const;
		});
		const earlier = isRecord(users['resolved']) ? users['resolved'] : {};
		const resolved = channels.length ? { resolved: { ...earlier, channels: Object.fromEntries(channels) } } : users;
		const data = { id: this.commandId(name), name, type: 1, options, ...resolved };
		return this.sendInteraction(2, input, { data });
	}

	/**
	 * A MESSAGE context-menu command (application command type 3) used on a stored message, as Discord
	 * sends it: `data.target_id` and the message in `data.resolved.messages`.
	 */
	sendMessageCommand(input: Omit<CommandInput, 'options' | 'group' | 'subcommand'> & { name: string; targetMessageId: string }): SentInteraction {
		const message = this.messages.get(input.targetMessageId);
		if (!message) throw new Error(`sendMessageCommand: unknown message ${input.targetMessageId}`);
		const data = {
			id: this.commandId(input.name),
			name: input.name,
			type: 3,
			target_id: message.id,
			resolved: { messages: { [message.id]: toApiMessage(message) } },
		};
		return this.sendInteraction(2, { ...input, channelId: input.channelId ?? message.channel_id }, { data });
	}

	/** A message a user posted in a channel, with these files attached (served by the fake CDN while the message lives). */
	postUserMessage(input: { userId?: string; channelId?: string; guildId?: string | null; content?: string; files?: CommandAttachment[] }): FakeMessage {
		const channelId = input.channelId ?? DEFAULT_CHANNEL_ID;
		const message = this.createMessage({ channelId, guildId: input.guildId === undefined ? DEFAULT_GUILD_ID : input.guildId, type: 0 });
		const userId = input.userId ?? DEFAULT_USER_ID;
		message.author = apiUser(userId, `user${userId.slice(-4)}`);
		message.content = input.content ?? '';
		message.attachments = (input.files ?? []).map((file) => {
			const id = snowflake();
			file.id = id;
			return {
				id,
				filename: file.filename,
				content_type: file.contentType ?? 'application/octet-stream',
				size: file.data.length,
				url: this.attachmentUrl(channelId, id, file.filename),
				data: file.data,
			};
		});
		return message;
	}

	/** Submits a modal (interaction type 5), as after the user filled in one the bot opened (Labels, or legacy action rows). */
	sendModalSubmit(input: ModalInput): SentInteraction {
		const message = input.messageId === undefined ? undefined : this.messages.get(input.messageId);
		if (input.messageId !== undefined && !message) throw new Error(`sendModalSubmit: unknown message ${input.messageId}`);
		return this.sendInteraction(5, input, { data: modalSubmitData(input), ...(message ? { message: toApiMessage(message) } : {}) }, message?.id);
	}

	/** The modal the bot opened in answer to an interaction (callback type 9), if any. */
	modalOf(interactionId: string): Record<string, unknown> | undefined {
		const data = this.callbacks.get(interactionId)?.find((callback) => callback.type === 9)?.data;
		return isRecord(data) ? data : undefined;
	}

	sendAutocomplete(input: AutocompleteInput): SentInteraction {
		const name = input.name ?? 'comic';
		const data = { id: this.commandId(name), name, type: 1, options: commandOptions(input, input.focused) };
		return this.sendInteraction(4, input, { data });
	}

	sendButton(input: ButtonInput): SentInteraction {
		return this.buttonInteraction(input, true);
	}

	// HTTP interactions mode: registered as Discord would (callback and webhook routes work), never sent over the gateway.
	createCommand(input: CommandInput = {}): CreatedInteraction {
		const name = input.name ?? 'comic';
		return this.sendInteraction(2, input, { data: { id: this.commandId(name), name, type: 1, options: commandOptions(input) } }, undefined, false);
	}

	createAutocomplete(input: AutocompleteInput): CreatedInteraction {
		const name = input.name ?? 'comic';
		return this.sendInteraction(
			4,
			input,
			{ data: { id: this.commandId(name), name, type: 1, options: commandOptions(input, input.focused) } },
			undefined,
			false,
		);
	}

	createButton(input: ButtonInput): CreatedInteraction {
		return this.buttonInteraction(input, false);
	}

	private buttonInteraction(input: ButtonInput, dispatch: boolean): CreatedInteraction {
		// A button always sits on a real message; store a stand-in so callback 7 and edits have a target.
		const message =
			this.messages.get(input.messageId) ??
			this.createMessage({
				id: input.messageId,
				channelId: input.channelId ?? DEFAULT_CHANNEL_ID,
				guildId: input.guildId === undefined ? DEFAULT_GUILD_ID : input.guildId,
				type: 0,
			});
		const guildId = input.guildId === undefined ? message.guild_id : input.guildId;
		const extra = { data: { custom_id: input.customId, component_type: 2 }, message: toApiMessage(message) };
		return this.sendInteraction(3, { ...input, channelId: input.channelId ?? message.channel_id, guildId }, extra, message.id, dispatch);
	}

	/** Sends any gateway dispatch to every ready socket, e.g. `dispatch('GUILD_CREATE', {...})`. */
	dispatch(event: string, data: unknown): void {
		this.gateway.dispatch(event, data);
	}

	private sendInteraction(
		type: number,
		input: Omit<CommandInput, 'options'>,
		extra: Record<string, unknown>,
		componentMessageId?: string,
		dispatch = true,
	): CreatedInteraction {
		if (dispatch && this.connections === 0) throw new Error('No gateway client is READY; wait for fake.connections > 0 before sending interactions');
		const id = snowflake();
		const ctx = contextFrom(input, { id, token: randomToken(id), type, applicationId: this.applicationId });
		// Interactions advertise the per-file upload limit this fake enforces (`attachmentSizeLimit`).
		const payload = { ...interactionPayload(ctx), attachment_size_limit: this.attachmentSizeLimit, ...extra };
		const now = Date.now();
		const interaction: FakeInteraction = {
			id: ctx.id,
			token: ctx.token,
			type,
			payload,
			channelId: ctx.channelId,
			guildId: ctx.guildId,
			createdAt: now,
			expiresAt: now + this.tokenTtlMs,
			acknowledged: false,
			followUpIds: [],
		};
		if (componentMessageId !== undefined) interaction.componentMessageId = componentMessageId;
		this.interactions.set(ctx.id, interaction);
		this.byToken.set(ctx.token, interaction);
		if (!this.channelsById.has(ctx.channelId)) this.channels.set(ctx.channelId, { guildId: ctx.guildId, nsfw: ctx.channelNsfw });
		if (dispatch) this.dispatch('INTERACTION_CREATE', payload);
		return { id: ctx.id, token: ctx.token, payload };
	}

	private commandId(name: string): string {
		for (const entry of this.registeredCommands) {
			for (const command of entry.commands) {
				if (isRecord(command) && command['name'] === name && typeof command['id'] === 'string') return command['id'];
			}
		}
		// Stable per name so repeated invocations look like the same registered command.
		return `5${[...name]
			.reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) % 1e15, 7)
			.toString()
			.padStart(17, '0')}`;
	}

	private createMessage(init: MessageInit): FakeMessage {
		const message: FakeMessage = {
			id: init.id ?? snowflake(),
			channel_id: init.channelId,
			guild_id: init.guildId,
			author: this.botUser,
			type: init.type,
			content: '',
			embeds: [],
			components: [],
			attachments: [],
			flags: 0,
			ephemeral: false,
			allowed_mentions: undefined,
			edits: 0,
			history: [],
			timestamp: new Date().toISOString(),
			edited_timestamp: null,
			deleted: false,
		};
		if (init.interaction) {
			const { interaction } = init;
			message.interactionId = interaction.id;
			message.webhook_id = this.applicationId;
			const member = interaction.payload['member'];
			const user = isRecord(member) ? member['user'] : interaction.payload['user'];
			message.interaction_metadata = {
				id: interaction.id,
				type: interaction.type,
				user,
				authorizing_integration_owners: interaction.payload['authorizing_integration_owners'],
				...(interaction.originalMessageId === undefined ? {} : { original_response_message_id: interaction.originalMessageId }),
			};
		}
		this.messages.set(message.id, message);
		return message;
	}

	/** Creates a message from a body; nothing is stored if the body is rejected. */
	private createFromBody(init: MessageInit, req: RecordedRequest, body: unknown): FakeMessage {
		const message = this.createMessage(init);
		try {
			applyMessageBody(message, body, req.files, this, 'create');
		} catch (error) {
			this.messages.delete(message.id);
			throw error;
		}
		return message;
	}

	attachmentUrl(channelId: string, attachmentId: string, filename: string): string {
		return `${this.baseUrl}/attachments/${channelId}/${attachmentId}/${encodeURIComponent(filename)}`;
	}

	// ---- HTTP ------------------------------------------------------------------------------------

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', this.baseUrl);
		const apiMatch = /^\/api\/v(?:9|10)(\/.*)?$/.exec(url.pathname);
		const record: RecordedRequest = {
			method: (req.method ?? 'GET').toUpperCase(),
			path: decodePath(apiMatch ? (apiMatch[1] ?? '/') : url.pathname),
			query: url.searchParams,
			headers: req.headers,
			json: undefined,
			files: [],
			status: 0,
			at: Date.now(),
		};
		this.requests.push(record);

		let answer: Answer;
		try {
			const body = await readBody(req);
			parseRequestBody(record, body);
			const rule = this.faults.take(record);
			if (rule && rule.delayMs > 0) await sleep(rule.delayMs, undefined, { signal: this.closing.signal });
			const tooLarge = body.length > MAX_REQUEST_BYTES || record.files.some((file) => file.data.length > this.attachmentSizeLimit);
			if (rule?.fault) answer = faultAnswer(rule.fault);
			else if (tooLarge) answer = json({ code: 40005, message: 'Request entity too large' }, 413);
			else if (apiMatch) answer = await dispatchRoute(this.routes, record, record.headers.authorization === `Bot ${this.botToken}`);
			else answer = this.serveAttachment(record);
		} catch (error) {
			// A stall interrupted by close(): the socket is being destroyed, nobody waits for an answer.
			if (this.closing.signal.aborted) return;
			answer = errorAnswer(error);
		}
		record.status = answer.status;
		if (res.destroyed || res.writableEnded) return;
		const headers: Record<string, string> = { ...answer.headers };
		let payload: Buffer | undefined;
		if (answer.raw) {
			headers['content-type'] = answer.raw.contentType;
			payload = answer.raw.data;
		} else if (answer.body !== undefined) {
			headers['content-type'] = 'application/json';
			payload = Buffer.from(JSON.stringify(answer.body));
		}
		res.writeHead(answer.status, headers);
		res.end(payload);
	}

	private serveAttachment(record: RecordedRequest): Answer {
		const [, kind, , attachmentId] = record.path.split('/');
		if (kind === 'attachments' && record.method === 'GET') {
			const upload = this.uploads.get(attachmentId ?? '');
			if (upload) return { status: 200, raw: { data: upload.data, contentType: upload.contentType ?? 'application/octet-stream' } };
			for (const message of this.messages.values()) {
				const attachment = message.attachments.find((candidate) => candidate.id === attachmentId);
				if (attachment) return { status: 200, raw: { data: attachment.data, contentType: attachment.content_type } };
			}
		}
		return notFound();
	}

	private buildRoutes(): Route[] {
		const gateway = { url: this.gatewayUrl };
		return [
			route('GET', '/gateway', false, () => json(gateway)),
			route('GET', '/gateway/bot', true, () =>
				json({ ...gateway, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } }),
			),
			route('GET', '/users/@me', true, () => json(this.botUser)),
			route('GET', '/applications/@me', true, () =>
				json({
					id: this.applicationId,
					name: 'comic-bot',
					description: '',
					flags: 0,
					bot_public: true,
					bot_require_code_grant: false,
					bot: this.botUser,
				}),
			),
			route('PUT', '/applications/:app/commands', true, (req, p) => this.putCommands(req, p('app'), 'global')),
			route('GET', '/applications/:app/commands', true, (_req, p) => this.getCommands(p('app'), 'global')),
			route('PUT', '/applications/:app/guilds/:guild/commands', true, (req, p) => this.putCommands(req, p('app'), p('guild'))),
			route('GET', '/applications/:app/guilds/:guild/commands', true, (_req, p) => this.getCommands(p('app'), p('guild'))),
			route('POST', '/interactions/:id/:token/callback', false, (req, p) => this.interactionCallback(req, p('id'), p('token'))),
			route('POST', '/webhooks/:app/:token', false, (req, p) => this.followUp(req, this.webhookInteraction(p('app'), p('token')))),
			route('GET', '/webhooks/:app/:token/messages/:message', false, (_req, p) =>
				json(toApiMessage(this.webhookMessage(this.webhookInteraction(p('app'), p('token')), p('message')))),
			),
			route('PATCH', '/webhooks/:app/:token/messages/:message', false, (req, p) => {
				const message = this.webhookMessage(this.webhookInteraction(p('app'), p('token')), p('message'));
				applyMessageBody(message, req.json, req.files, this, 'edit');
				return json(toApiMessage(message));
			}),
			route('DELETE', '/webhooks/:app/:token/messages/:message', false, (_req, p) => {
				this.webhookMessage(this.webhookInteraction(p('app'), p('token')), p('message')).deleted = true;
				return noContent;
			}),
			route('POST', '/channels/:channel/threads', true, (req, p) => this.startForumPost(req, this.liveChannel(p('channel')))),
			route('POST', '/channels/:channel/messages/:message/threads', true, (req, p) => this.startThreadFromMessage(req, p('channel'), p('message'))),
			route('PATCH', '/channels/:channel', true, (req, p) => this.patchThread(req, this.liveChannel(p('channel')))),
			route('GET', '/channels/:channel', true, (_req, p) => {
				const made = this.channelsById.get(p('channel'));
				if (made) return json(channelApi(this.liveChannel(made.id)));
				const channel = this.channels.get(p('channel'));
				const guildId = channel ? channel.guildId : DEFAULT_GUILD_ID;
				const nsfw = channel?.nsfw ?? false;
				return json(channelPayload({ channelId: p('channel'), guildId, channelNsfw: nsfw, userId: DEFAULT_USER_ID, username: 'someone' }));
			}),
			route('POST', '/channels/:channel/messages', true, (req, p) => this.channelPost(req, p('channel'))),
			route('GET', '/channels/:channel/messages/:message', true, (_req, p) => json(toApiMessage(this.channelMessage(p('channel'), p('message'))))),
			route('PATCH', '/channels/:channel/messages/:message', true, (req, p) => {
				const message = this.channelMessage(p('channel'), p('message'));
				applyMessageBody(message, req.json, req.files, this, 'edit');
				return json(toApiMessage(message));
			}),
			route('DELETE', '/channels/:channel/messages/:message', true, (_req, p) => {
				this.channelMessage(p('channel'), p('message')).deleted = true;
				return noContent;
			}),
		];
	}

	private putCommands(req: RecordedRequest, app: string, scope: string): Answer {
		if (app !== this.applicationId) throw new ApiError(403, 50001, 'Missing Access');
		if (!Array.isArray(req.json)) throw new ApiError(400, 50035, 'Invalid Form Body');
		validateCommands(req.json, scope === 'global' ? 'global' : 'guild');
		const previous = this.registeredCommands.find((entry) => entry.scope === scope);
		const commands = req.json.map((command: unknown) => {
			const body = isRecord(command) ? command : {};
			// Discord keeps a command's id when a bulk overwrite repeats its name.
			const kept = previous?.commands.find((old) => isRecord(old) && old['name'] === body['name']);
			const id = isRecord(kept) && typeof kept['id'] === 'string' ? kept['id'] : snowflake();
			const guild = scope === 'global' ? {} : { guild_id: scope };
			return { type: 1, ...body, id, application_id: this.applicationId, version: snowflake(), ...guild };
		});
		if (previous) previous.commands = commands;
		else this.registeredCommands.push({ scope, commands });
		return json(commands);
	}

	private getCommands(app: string, scope: string): Answer {
		if (app !== this.applicationId) throw new ApiError(403, 50001, 'Missing Access');
		return json(this.registeredCommands.find((entry) => entry.scope === scope)?.commands ?? []);
	}

	private interactionCallback(req: RecordedRequest, id: string, token: string): Answer {
		const interaction = this.interactions.get(id);
		const now = Date.now();
		if (!interaction || interaction.token !== token || now > interaction.expiresAt) throw new ApiError(404, 10062, 'Unknown interaction');
		if (interaction.acknowledged) throw new ApiError(400, 40060, 'Interaction has already been acknowledged.');
		if (now > interaction.createdAt + this.callbackDeadlineMs) throw new ApiError(404, 10062, 'Unknown interaction');
		const body = isRecord(req.json) ? req.json : {};
		const type = body['type'];
		const data = body['data'];
		const allowed: Record<number, number[]> = { 4: [2, 3, 5], 5: [2, 3, 5], 6: [3, 5], 7: [3, 5], 8: [4], 9: [2, 3] };
		if (typeof type !== 'number' || !allowed[type]?.includes(interaction.type)) {
			const reason = `Callback type ${String(type)} is not valid for interaction type ${interaction.type}`;
			throw formError('type', 'INTERACTION_CALLBACK_TYPE_INVALID', reason);
		}

		let message: FakeMessage | undefined;
		const messageType = interaction.type === 2 ? 20 : 0;
		const messageInit = { channelId: interaction.channelId, guildId: interaction.guildId, type: messageType, interaction };
		if (type === 4) {
			message = this.createFromBody(messageInit, req, data);
		} else if (type === 5) {
			message = this.createMessage(messageInit);
			const flags = isRecord(data) && typeof data['flags'] === 'number' ? data['flags'] : 0;
			// A deferred reply is an empty "bot is thinking" message until the first edit.
			message.flags = (flags & FLAG_EPHEMERAL) | FLAG_LOADING;
			message.ephemeral = (flags & FLAG_EPHEMERAL) !== 0;
		} else if (type === 6 || type === 7) {
			message = interaction.componentMessageId === undefined ? undefined : this.messages.get(interaction.componentMessageId);
			if (!message || message.deleted) throw new ApiError(404, 10008, 'Unknown Message');
			if (type === 7) applyMessageBody(message, data, req.files, this, 'edit');
		} else if (type === 8) {
			validateChoices(data);
		}
		if (message) interaction.originalMessageId = message.id;
		interaction.acknowledged = true;
		const list = this.callbacks.get(id) ?? [];
		list.push({ type, data });
		this.callbacks.set(id, list);

		if (req.query.get('with_response') !== 'true') return noContent;
		const showsMessage = message !== undefined && type !== 6;
		return json({
			interaction: {
				id: interaction.id,
				type: interaction.type,
				...(showsMessage && message
					? { response_message_id: message.id, response_message_loading: type === 5, response_message_ephemeral: message.ephemeral }
					: {}),
			},
			resource: showsMessage && message ? { type, message: toApiMessage(message) } : { type },
		});
	}

	/** The interaction behind a webhook URL; Discord answers 50027 once the token is 15 minutes old. */
	private webhookInteraction(app: string, token: string): FakeInteraction {
		const interaction = this.byToken.get(token);
		if (app !== this.applicationId || !interaction) throw new ApiError(404, 10015, 'Unknown Webhook');
		if (Date.now() > interaction.expiresAt) throw new ApiError(401, 50027, 'Invalid Webhook Token');
		return interaction;
	}

	private webhookMessage(interaction: FakeInteraction, messageParam: string): FakeMessage {
		const id = messageParam === '@original' ? interaction.originalMessageId : messageParam;
		const message = id === undefined ? undefined : this.messages.get(id);
		const belongs = id !== undefined && (id === interaction.originalMessageId || interaction.followUpIds.includes(id));
		if (!message || message.deleted || !belongs) throw new ApiError(404, 10008, 'Unknown Message');
		return message;
	}

	private followUp(req: RecordedRequest, interaction: FakeInteraction): Answer {
		// The interaction webhook only exists once the interaction was acknowledged.
		if (!interaction.acknowledged) throw new ApiError(404, 10015, 'Unknown Webhook');
		// The first follow-up of a deferral still loading becomes that message, public or private as the
		// deferral was, whatever flags the follow-up asks for.
		const loading = interaction.originalMessageId === undefined ? undefined : this.messages.get(interaction.originalMessageId);
		if (loading && !loading.deleted && (loading.flags & FLAG_LOADING) !== 0) {
			applyMessageBody(loading, req.json, req.files, this, 'edit');
			return json(toApiMessage(loading));
		}
		const init = { channelId: interaction.channelId, guildId: interaction.guildId, type: interaction.type === 2 ? 20 : 0, interaction };
		const message = this.createFromBody(init, req, req.json);
		interaction.followUpIds.push(message.id);
		// Discord ignores `wait` for interaction follow-ups and always returns the message.
		return json(toApiMessage(message));
	}

	/** A channel a test made, or 10003 when it is unknown or deleted. */
	private liveChannel(id: string): FakeChannel {
		const channel = this.channelsById.get(id);
		if (!channel || channel.deleted) throw new ApiError(404, 10003, 'Unknown Channel');
		return channel;
	}

	/** The channel a made thread belongs to (whose permissions it follows). */
	private parentOf(thread: FakeChannel): FakeChannel {
		return thread.parentId === undefined ? thread : this.liveChannel(thread.parentId);
	}

	/** A forum or media post: a public thread whose first message (same id as the thread) is `message`. */
	private startForumPost(req: RecordedRequest, forum: FakeChannel): Answer {
		if (!isThreadOnly(forum)) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
		requirePermission(forum, Permission.ViewChannel | Permission.SendMessages);
		if (req.files.length > 0) requirePermission(forum, Permission.AttachFiles);
		const body = isRecord(req.json) ? req.json : {};
		if (!isRecord(body['message'])) throw formError('message', 'BASE_TYPE_REQUIRED', 'This field is required');
		const name = threadName(body['name']);
		const tags = appliedTags(body['applied_tags'], forum);
		const thread = newChannel({ type: ChannelKind.PublicThread, name, nsfw: forum.nsfw, guildId: forum.guildId }, DEFAULT_GUILD_ID);
		Object.assign(thread, { parentId: forum.id, ownerId: this.botUserId, appliedTags: tags, botDenied: forum.botDenied });
		const starter = this.createFromBody({ id: thread.id, channelId: thread.id, guildId: forum.guildId, type: 0 }, req, body['message']);
		this.channelsById.set(thread.id, thread);
		this.channels.set(thread.id, { guildId: thread.guildId, nsfw: thread.nsfw });
		return json({ ...channelApi(thread), message: toApiMessage(starter) });
	}

	/** A public thread hanging from a message of a text channel; the thread's id is the message's. */
	private startThreadFromMessage(req: RecordedRequest, channelId: string, messageId: string): Answer {
		const parent = this.liveChannel(channelId);
		if (parent.type !== ChannelKind.Text) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
		requirePermission(parent, Permission.ViewChannel | Permission.CreatePublicThreads);
		this.channelMessage(channelId, messageId);
		if (this.channelsById.has(messageId)) throw new ApiError(400, 160004, 'A thread has already been created for this message');
		const body = isRecord(req.json) ? req.json : {};
		const thread = newChannel({ type: ChannelKind.PublicThread, name: threadName(body['name']), nsfw: parent.nsfw, guildId: parent.guildId }, DEFAULT_GUILD_ID);
		Object.assign(thread, { id: messageId, parentId: parent.id, ownerId: this.botUserId, botDenied: parent.botDenied });
		this.channelsById.set(thread.id, thread);
		this.channels.set(thread.id, { guildId: thread.guildId, nsfw: thread.nsfw });
		return json(channelApi(thread));
	}

	/** PATCH of a thread: its name, its tags (a forum post's) and whether it is archived. */
	private patchThread(req: RecordedRequest, thread: FakeChannel): Answer {
		if (thread.type !== ChannelKind.PublicThread) throw new ApiError(403, 50013, 'Missing Permissions');
		const body = isRecord(req.json) ? req.json : {};
		const parent = this.parentOf(thread);
		const next = { ...thread };
		if ('name' in body) next.name = threadName(body['name']);
		if ('applied_tags' in body) {
			if (!isThreadOnly(parent)) throw formError('applied_tags', 'BASE_TYPE_INVALID', 'Only forum and media posts have tags');
			next.appliedTags = appliedTags(body['applied_tags'], parent);
		}
		if (typeof body['archived'] === 'boolean') next.archived = body['archived'];
		next.patches = [...thread.patches, body];
		Object.assign(thread, next);
		return json(channelApi(thread));
	}

	/** Bot-token access to a message; ephemeral messages are invisible to it, as on Discord. */
	private channelMessage(channelId: string, messageId: string): FakeMessage {
		const made = this.channelsById.get(channelId);
		if (made?.deleted) throw new ApiError(404, 10003, 'Unknown Channel');
		const message = this.messages.get(messageId);
		if (!message || message.deleted || message.ephemeral || message.channel_id !== channelId) {
			throw new ApiError(404, 10008, 'Unknown Message');
		}
		return message;
	}

	private channelPost(req: RecordedRequest, channelId: string): Answer {
		const made = this.channelsById.get(channelId);
		if (made) {
			const live = this.liveChannel(channelId);
			if (isThreadOnly(live)) throw new ApiError(400, 50008, 'Cannot send messages in a non-text channel');
			const thread = live.type === ChannelKind.PublicThread;
			const parent = this.parentOf(live);
			requirePermission(parent, Permission.ViewChannel | (thread ? Permission.SendMessagesInThreads : Permission.SendMessages));
			if (req.files.length > 0) requirePermission(parent, Permission.AttachFiles);
			// Sending in an archived thread brings it back, as Discord does for members who may send there.
			if (thread) live.archived = false;
		}
		const body = isRecord(req.json) ? req.json : {};
		const rawNonce = body['nonce'];
		const nonce = typeof rawNonce === 'string' || typeof rawNonce === 'number' ? String(rawNonce) : undefined;
		if (nonce !== undefined && nonce.length > 25) throw formError('nonce', 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
		// enforce_nonce: the same nonce in the same channel within the window returns the message
		// the first POST created instead of creating another (all of this bot's posts share one author).
		const nonceKey = nonce !== undefined && body['enforce_nonce'] === true ? `${channelId}:${nonce}` : undefined;
		const seen = nonceKey === undefined ? undefined : this.nonces.get(nonceKey);
		const earlier = seen && Date.now() - seen.at < this.nonceWindowMs ? this.messages.get(seen.messageId) : undefined;
		if (earlier) return json(toApiMessage(earlier));
		const reference = isRecord(body['message_reference']) ? body['message_reference'] : undefined;
		const known = this.channels.get(channelId);
		const guildId = known ? known.guildId : DEFAULT_GUILD_ID;
		let messageReference: FakeMessage['message_reference'];
		if (reference) {
			const candidate = this.messages.get(String(reference['message_id'] ?? ''));
			const referenced = candidate && !candidate.deleted && !candidate.ephemeral ? candidate : undefined;
			// Discord rejects a reply to a missing message unless fail_if_not_exists is false.
			if (!referenced && reference['fail_if_not_exists'] !== false) {
				throw formError('message_reference', 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
			}
			if (referenced) {
				messageReference = { type: 0, message_id: referenced.id, channel_id: referenced.channel_id };
				if (referenced.guild_id !== null) messageReference.guild_id = referenced.guild_id;
			}
		}
		const message = this.createFromBody({ channelId, guildId, type: messageReference ? 19 : 0 }, req, req.json);
		if (messageReference) message.message_reference = messageReference;
		if (nonce !== undefined) message.nonce = nonce;
		if (nonceKey !== undefined) this.nonces.set(nonceKey, { messageId: message.id, at: Date.now() });
		return json({ ...toApiMessage(message), ...(nonce === undefined ? {} : { nonce }) });
	}

	async close(): Promise<void> {
		// Aborting wakes stalled requests so no timer outlives the test.
		this.closing.abort();
		await this.gateway.close();
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
	const server = createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('Fake Discord did not get a TCP port');
	return new FakeDiscord(server, address.port, options);
}
