import { ChannelType, GatewayDispatchEvents, type BaseInteraction, type Client } from 'discord.js';
import { z } from 'zod';

// The part of an interaction payload that says where it happened; the rest is discord.js's business.
const payloadSchema = z.object({
	id: z.string(),
	channel: z.object({ type: z.number(), nsfw: z.boolean().nullish(), parent_id: z.string().nullish() }).nullish(),
});

interface ChannelFacts {
	readonly nsfw: boolean;
	readonly threadParentId: string | undefined;
}

const THREAD_TYPES: ReadonlySet<number> = new Set([ChannelType.AnnouncementThread, ChannelType.PublicThread, ChannelType.PrivateThread]);

/**
 * Whether an interaction happened in an age-restricted channel, read from the channel object
 * Discord sends with every interaction. discord.js keeps that object as `interaction.channel` only
 * when the channel's guild is already in its cache, so in a guild it has not been sent (or with
 * fewer intents) `interaction.channel` is null and the flag would be lost. Entries are kept for
 * the last `limit` interactions only: an interaction is answered within seconds or not at all.
 */
export class InteractionChannels {
	private readonly seen = new Map<string, ChannelFacts>();

	public constructor(private readonly limit = 1_000) {}

	/** Listens to the gateway's INTERACTION_CREATE dispatches, which arrive before discord.js builds the interaction. */
	public attach(client: Client): this {
		client.ws.on(GatewayDispatchEvents.InteractionCreate, (data: unknown) => this.remember(data));
		return this;
	}

	/** Takes a raw interaction payload, from the gateway or from an HTTP interactions endpoint. */
	public remember(payload: unknown): void {
		const parsed = payloadSchema.safeParse(payload);
		if (!parsed.success || !parsed.data.channel) return;
		const { channel } = parsed.data;
		const threadParentId = THREAD_TYPES.has(channel.type) ? (channel.parent_id ?? undefined) : undefined;
		this.seen.set(parsed.data.id, { nsfw: channel.nsfw === true, threadParentId });
		// A Map iterates in insertion order: the first key is the oldest.
		while (this.seen.size > this.limit) {
			const oldest = this.seen.keys().next().value;
			if (oldest === undefined) break;
			this.seen.delete(oldest);
		}
	}

	/** Age-restricted guild channels only; DMs and channels we know nothing about count as not. */
	public isAgeRestricted(interaction: {
		readonly id: string;
		readonly channel: BaseInteraction['channel'];
		readonly client: Pick<Client, 'channels'>;
	}): boolean {
		const facts = this.seen.get(interaction.id);
		if (facts) {
			if (facts.nsfw) return true;
			// A thread is as restricted as the channel it belongs to.
			return facts.threadParentId !== undefined && nsfwFlag(interaction.client.channels.cache.get(facts.threadParentId)) === true;
		}
		const channel = interaction.channel;
		if (!channel) return false;
		if (channel.isThread()) return nsfwFlag(channel.parent) === true;
		return nsfwFlag(channel) === true;
	}
}

function nsfwFlag(channel: unknown): boolean | undefined {
	return typeof channel === 'object' && channel !== null && 'nsfw' in channel && typeof channel.nsfw === 'boolean' ? channel.nsfw : undefined;
}
