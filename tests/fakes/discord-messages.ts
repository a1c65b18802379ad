// Message state for the fake Discord: how create/edit bodies (JSON or multipart) change a stored message,
// with the validation Discord applies, and how a stored message is rendered back as an API object.
import { type ApiUser, isRecord, snowflake } from './discord-interactions.ts';

export interface UploadedFile {
	field: string;
	filename: string;
	contentType: string;
	data: Buffer;
}

export interface FakeAttachment {
	id: string;
	filename: string;
	content_type: string;
	size: number;
	url: string;
	data: Buffer;
	description?: string;
}

export interface FakeMessage {
	id: string;
	channel_id: string;
	guild_id: string | null;
	author: ApiUser;
	/** 0 default, 19 reply, 20 chat input command (interaction responses and follow-ups). */
	type: number;
	content: string;
	embeds: unknown[];
	components: unknown[];
	attachments: FakeAttachment[];
	flags: number;
	ephemeral: boolean;
	interactionId?: string;
	/** The last `allowed_mentions` a create or edit sent; undefined if none ever did. */
	allowed_mentions: unknown;
	message_reference?: { type: number; message_id: string; channel_id: string; guild_id?: string };
	/** Number of successful edits after creation. */
	edits: number;
	/** Every accepted body, creation first. */
	history: unknown[];
	timestamp: string;
	edited_timestamp: string | null;
	deleted: boolean;
	interaction_metadata?: unknown;
	/** Interaction responses are sent through the application's webhook, so they carry its id. */
	webhook_id?: string;
	/** The `nonce` a channel POST carried, for tests that tie a new message to its sender. */
	nonce?: string;
}

/** An error answer in Discord's shape: `{ code, message, errors? }`. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: number,
		message: string,
		readonly errors?: unknown,
	) {
		super(message);
	}

	body(): Record<string, unknown> {
		return this.errors === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, errors: this.errors };
	}
}

export const FLAG_EPHEMERAL = 64;
export const FLAG_LOADING = 128;
export const FLAG_COMPONENTS_V2 = 32768;

/** Discord's 400 / 50035 "Invalid Form Body" with the field-level error it names. */
export function formError(field: string, code: string, message: string): ApiError {
	return new ApiError(400, 50035, 'Invalid Form Body', { [field]: { _errors: [{ code, message }] } });
}

const MIME_BY_EXTENSION: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
	txt: 'text/plain; charset=utf-8',
	json: 'application/json; charset=utf-8',
};

function guessContentType(filename: string, sent: string): string {
	// undici labels Buffers as application/octet-stream; Discord sniffs the real type from the name.
	if (sent && sent !== 'application/octet-stream') return sent;
	const extension = filename.split('.').pop()?.toLowerCase() ?? '';
	return MIME_BY_EXTENSION[extension] ?? 'application/octet-stream';
}

/** `files[3]` → 3; Discord matches `attachments[].id` against that index. */
function fileIndex(field: string): string | undefined {
	return /^files\[(\d+)\]$/.exec(field)?.[1];
}

export interface ApplyContext {
	attachmentUrl(channelId: string, attachmentId: string, filename: string): string;
}

/**
 * Applies a create or edit body to `message`. Validation happens on a copy first so a rejected edit
 * leaves the stored message untouched, as on Discord.
 */
export function applyMessageBody(message: FakeMessage, body: unknown, files: UploadedFile[], ctx: ApplyContext, mode: 'create' | 'edit'): void {
	const json = isRecord(body) ? body : {};
	const next = { ...message };

	if ('content' in json) {
		const content = json['content'] ?? '';
		if (typeof content !== 'string') throw formError('content', 'STRING_TYPE_CONVERT', 'Could not interpret as string.');
		if (content.length > 2000) throw formError('content', 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
		next.content = content;
	}
	for (const key of ['embeds', 'components'] as const) {
		if (!(key in json)) continue;
		const value = json[key] ?? [];
		if (!Array.isArray(value)) throw formError(key, 'LIST_TYPE_CONVERT', 'Must be an array.');
		if (key === 'embeds' && value.length > 10) throw formError(key, 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
		next[key] = value;
	}
	if ('flags' in json) {
		const flags = typeof json['flags'] === 'number' ? json['flags'] : 0;
		// Ephemeral is fixed at creation and "loading" is Discord's own state; a body cannot change either.
		next.flags = mode === 'create' ? flags & ~FLAG_LOADING : (flags & ~(FLAG_EPHEMERAL | FLAG_LOADING)) | (message.flags & FLAG_EPHEMERAL);
	}
	if (mode === 'create') next.ephemeral = (next.flags & FLAG_EPHEMERAL) !== 0;
	else next.flags &= ~FLAG_LOADING;
	if ('allowed_mentions' in json) next.allowed_mentions = json['allowed_mentions'];

	next.attachments = resolveAttachments(message, json, files, ctx);

	if ((next.flags & FLAG_COMPONENTS_V2) !== 0 && (next.content !== '' || next.embeds.length > 0)) {
		const reason = "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2";
		throw formError('content', 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2', reason);
	}
	if (next.content === '' && next.embeds.length === 0 && next.attachments.length === 0 && next.components.length === 0) {
		throw new ApiError(400, 50006, 'Cannot send an empty message');
	}

	next.history = [...message.history, body];
	if (mode === 'edit') {
		next.edits = message.edits + 1;
		next.edited_timestamp = new Date().toISOString();
	}
	Object.assign(message, next);
}

function resolveAttachments(message: FakeMessage, json: Record<string, unknown>, files: UploadedFile[], ctx: ApplyContext): FakeAttachment[] {
	const upload = (file: UploadedFile, entry?: Record<string, unknown>): FakeAttachment => {
		const id = snowflake();
		const filename = typeof entry?.['filename'] === 'string' ? entry['filename'] : file.filename;
		const attachment: FakeAttachment = {
			id,
			filename,
			content_type: guessContentType(filename, file.contentType),
			size: file.data.length,
			url: ctx.attachmentUrl(message.channel_id, id, filename),
			data: file.data,
		};
		if (typeof entry?.['description'] === 'string') attachment.description = entry['description'];
		return attachment;
	};

	const used = new Set<UploadedFile>();
	const result: FakeAttachment[] = [];
	const listed = json['attachments'];
	if (listed === undefined || listed === null) {
		// Without an `attachments` list Discord keeps what the message had and appends new uploads.
		result.push(...message.attachments);
	} else {
		if (!Array.isArray(listed)) throw formError('attachments', 'LIST_TYPE_CONVERT', 'Must be an array.');
		for (const [position, entry] of listed.entries()) {
			const id = isRecord(entry) ? entry['id'] : undefined;
			const idText = typeof id === 'number' || typeof id === 'string' ? String(id) : undefined;
			const existing = message.attachments.find((attachment) => attachment.id === idText);
			if (existing) {
				result.push(existing);
				continue;
			}
			const file = files.find((candidate) => fileIndex(candidate.field) === idText);
			if (!file || !isRecord(entry)) {
				throw formError(`attachments.${position}`, 'ATTACHMENT_NOT_FOUND', `Unknown attachment id ${idText ?? '(none)'}`);
			}
			used.add(file);
			result.push(upload(file, entry));
		}
	}
	// Uploads the list did not mention are still attached, as Discord does.
	for (const file of files) if (!used.has(file)) result.push(upload(file));
	if (result.length > 10) throw formError('attachments', 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
	return result;
}

/** The message as the API returns it; complete enough for discord.js to build a `Message`. */
export function toApiMessage(message: FakeMessage): Record<string, unknown> {
	const api: Record<string, unknown> = {
		id: message.id,
		channel_id: message.channel_id,
		type: message.type,
		content: message.content,
		author: message.author,
		attachments: message.attachments.map(({ data: _data, ...attachment }) => ({ ...attachment, proxy_url: attachment.url })),
		embeds: message.embeds,
		components: message.components,
		mentions: [],
		mention_roles: [],
		mention_everyone: false,
		pinned: false,
		tts: false,
		timestamp: message.timestamp,
		edited_timestamp: message.edited_timestamp,
		flags: message.flags,
	};
	if (message.guild_id !== null) api['guild_id'] = message.guild_id;
	if (message.message_reference) api['message_reference'] = message.message_reference;
	if (message.interaction_metadata !== undefined) api['interaction_metadata'] = message.interaction_metadata;
	if (message.webhook_id !== undefined) {
		api['webhook_id'] = message.webhook_id;
		api['application_id'] = message.webhook_id;
	}
	return api;
}
