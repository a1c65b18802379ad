import { type ChatInputCommandInteraction, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { z } from 'zod';
import { findProject } from '../src/comic/access.ts';
import { UserFacingError } from '../src/comic/errors.ts';
import { panelRange } from '../src/comic/export/range.ts';
import { withheldNote } from '../src/comic/takes/safety.ts';
import { quote } from '../src/comic/names.ts';
import { type PublishResult, publishComic } from '../src/comic/publish/publishComic.ts';
import { PublishForbidden } from '../src/comic/publish/postWriter.ts';
import { actorOf } from '../src/discord/actor.ts';
import { NO_MENTIONS } from '../src/discord/render.ts';
import { subcommand } from './command.ts';
import { publishDefinition } from './definitions/publish.ts';
import { ChannelKind } from './definitions/types.ts';

/** Discord's default when an interaction does not say: 10 MiB a file. */
const DEFAULT_FILE_LIMIT = 10 * 1024 * 1024;

/** What the bot needs where it publishes, by the names Discord's settings show. */
const NEEDED = {
	forum: [
		['View Channel', PermissionFlagsBits.ViewChannel],
		['Create Posts', PermissionFlagsBits.SendMessages],
		['Send Messages in Threads', PermissionFlagsBits.SendMessagesInThreads],
		['Attach Files', PermissionFlagsBits.AttachFiles],
	],
	text: [
		['View Channel', PermissionFlagsBits.ViewChannel],
		['Send Messages', PermissionFlagsBits.SendMessages],
		['Create Public Threads', PermissionFlagsBits.CreatePublicThreads],
		['Send Messages in Threads', PermissionFlagsBits.SendMessagesInThreads],
		['Attach Files', PermissionFlagsBits.AttachFiles],
	],
} as const satisfies Record<string, readonly (readonly [string, bigint])[]>;

// The channel option as the interaction resolves it: Discord's partial channel with the user's
// (`permissions`) and the bot's (`app_permissions`) permissions there, or discord.js's channel object
// built from it when the guild is cached (the same two as bit fields).
const rawChannel = z.object({ id: z.string(), type: z.number(), permissions: z.string().optional(), app_permissions: z.string().optional() });
const bitField = z.object({ bitfield: z.bigint() });
const builtChannel = z.object({ id: z.string(), type: z.number(), permissions: bitField.nullish(), appPermissions: bitField.nullish() });

export interface Target {
	readonly id: string;
	readonly kind: 'forum' | 'text';
	readonly user: bigint | undefined;
	readonly bot: bigint | undefined;
}

/**
 * `/comic publish project: channel: [panels:]`: the comic as a post in a forum or media channel, or as a
 * thread in a text channel; again, and the same post is updated in place (src/comic/publish/). Refused
 * before any work where the bot or the user lacks a permission the channel needs, by name.
 */
export const publishCommand = subcommand({
	definition: publishDefinition,
	async execute(interaction, options, deps) {
		const guildId = interaction.guildId;
		if (!guildId) throw new UserFacingError('Publishing posts a comic in a server’s channel: use `/comic publish` in a server.');
		const target = targetOf(interaction, options.channel);
		// Who may publish: whoever may draw in the project (its owner and editors; src/comic/access.ts).
		const project = await findProject(deps.db, actorOf(interaction), options.project, 'draw');
		const typed = options.panels;
		const range = panelRange(typed, await deps.db.panel.count({ where: { projectId: project.id } }));
		refuseMissing(target);
		const release = deps.publishes.take(interaction.user.id);
		if (!release) throw new UserFacingError('You are already publishing a comic. Wait until it is posted, then try again.');
		try {
			await interaction.deferReply({ flags: MessageFlags.Ephemeral });
			const request = {
				project,
				range,
				part: Boolean(typed?.trim()),
				channelId: target.id,
				guildId,
				userId: interaction.user.id,
				maxFileBytes: interaction.attachmentSizeLimit || DEFAULT_FILE_LIMIT,
			};
			let result: PublishResult;
			try {
				result = await publishComic({ db: deps.db, comic: deps.generation, writer: deps.posts, log: deps.log }, request);
			} catch (error) {
				if (error instanceof PublishForbidden)
					throw new UserFacingError(
						missingText(
							target.kind,
							NEEDED[target.kind].map(([name]) => name),
						),
					);
				throw error;
			}
			await interaction.editReply({ content: summary(project.name, result), allowedMentions: NO_MENTIONS });
		} finally {
			release();
		}
	},
});

function targetOf(interaction: ChatInputCommandInteraction, channel: unknown): Target {
	return readTarget(channel ?? undefined, {
		channelId: interaction.channelId,
		appPermissions: interaction.appPermissions.bitfield,
	});
}

/**
 * The channel option's value as a target: Discord's resolved channel as sent, or discord.js's channel
 * built from it (when the guild is cached). Older payloads carry no `app_permissions` on the channel:
 * in the interaction's own channel, the interaction's are the bot's; elsewhere they stay unknown and
 * Discord's 403 decides.
 */
export function readTarget(value: unknown, here: { channelId: string; appPermissions: bigint }): Target {
	const raw = rawChannel.safeParse(value);
	const built = raw.success ? undefined : builtChannel.safeParse(value);
	const channel = raw.success
		? { id: raw.data.id, type: raw.data.type, user: bits(raw.data.permissions), bot: bits(raw.data.app_permissions) }
		: built?.success
			? { id: built.data.id, type: built.data.type, user: built.data.permissions?.bitfield, bot: built.data.appPermissions?.bitfield }
			: undefined;
	if (!channel) throw new UserFacingError('Choose the channel to publish in with the `channel` option.');
	const forum = channel.type === ChannelKind.GuildForum || channel.type === ChannelKind.GuildMedia;
	if (!forum && channel.type !== ChannelKind.GuildText) throw new UserFacingError('Publish to a forum channel, a media channel or a text channel.');
	const bot = channel.bot ?? (channel.id === here.channelId ? here.appPermissions : undefined);
	return { id: channel.id, kind: forum ? 'forum' : 'text', user: channel.user, bot };
}

const bits = (value: string | undefined) => (value !== undefined && /^\d+$/.test(value) ? BigInt(value) : undefined);

/** Refuses, naming them, the permissions the bot lacks in the channel, and a channel the user may not post in. */
export function refuseMissing(target: Target): void {
	const needed = NEEDED[target.kind];
	if (target.bot !== undefined) {
		const bot = target.bot;
		const missing = needed.filter(([, bit]) => (bot & bit) !== bit).map(([name]) => name);
		if (missing.length) throw new UserFacingError(missingText(target.kind, missing));
	}
	const [[, view], [post, send]] = needed;
	if (target.user !== undefined && ((target.user & view) !== view || (target.user & send) !== send))
		throw new UserFacingError(
			`You cannot ${post === 'Create Posts' ? 'create posts' : 'send messages'} in <#${target.id}> yourself, so the bot will not publish there for you.`,
		);
}

function missingText(kind: 'forum' | 'text', names: readonly string[]): string {
	const where = kind === 'forum' ? 'a post in that channel' : 'a thread in that channel';
	return `The bot cannot publish ${where}: it needs the permission${names.length === 1 ? '' : 's'} **${names.join('**, **')}** there. Ask a server admin to grant ${names.length === 1 ? 'it' : 'them'} to the bot (channel settings → Permissions), then publish again.`;
}

function summary(name: string, result: PublishResult): string {
	const where = `<#${result.threadId}>`;
	const pages = `${result.pages} ${result.pages === 1 ? 'page' : 'pages'}`;
	const head = result.created
		? `Published **${quote(name)}** (${pages}) as a new post: ${where}.`
		: `Updated **${quote(name)}** (${pages}) in place in ${where}: ${result.edited} ${result.edited === 1 ? 'message' : 'messages'} edited, ${result.added} added, ${result.removed} removed, ${result.unchanged} unchanged.`;
	const notReady = result.notReady.length ? ` Not ready yet, left out: ${result.notReady.join(', ')}.` : '';
	return `${head}${notReady}${withheldNote(result.withheld)}`;
}
