import { type BaseInteraction, PermissionFlagsBits } from 'discord.js';
import type { Actor } from '../comic/access.ts';

/**
 * Who acts, where, and whether they moderate there: read from the interaction itself on every use
 * (Manage Server as Discord computed it for this interaction), never remembered.
 */
/** Whether the member who acts has a role (as Discord sent the member with the interaction, or cached). */
export function hasRole(interaction: BaseInteraction, roleId: string): boolean {
	const roles = interaction.member?.roles;
	if (!roles) return false;
	return Array.isArray(roles) ? roles.includes(roleId) : roles.cache.has(roleId);
}

export function actorOf(interaction: BaseInteraction): Actor {
	return {
		userId: interaction.user.id,
		guildId: interaction.guildId ?? null,
		admin: interaction.inGuild() && interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) === true,
	};
}
