import { type BaseInteraction, PermissionFlagsBits } from 'discord.js';
import type { Actor } from '../comic/access.ts';

/**
 * Who acts, where, and whether they moderate there: read from the interaction itself on every use
 * (Manage Server as Discord computed it for this interaction), never remembered.
 */
export function actorOf(interaction: BaseInteraction): Actor {
	return {
		userId: interaction.user.id,
		guildId: interaction.guildId ?? null,
		admin: interaction.inGuild() && interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) === true,
	};
}
