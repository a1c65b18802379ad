import type { RESTPutAPIApplicationCommandsJSONBody, RESTPutAPIApplicationGuildCommandsJSONBody } from 'discord.js';
import { ContextType } from './types.ts';

/** The message command's name as Discord shows it in a message's Apps menu (the contract: exactly this). */
export const MAKE_CHARACTER_NAME = 'Make a character';

/**
 * A MESSAGE context-menu command (type 3): no description, no options; Discord sends the message it was
 * used on as `data.target_id` with the message in `data.resolved.messages`.
 * @see https://discord.com/developers/docs/interactions/application-commands#message-commands
 */
export const makeCharacterGuildCommand = { type: 3, name: MAKE_CHARACTER_NAME } as const satisfies RESTPutAPIApplicationGuildCommandsJSONBody[number];

export const makeCharacterGlobalCommand = {
	...makeCharacterGuildCommand,
	contexts: [ContextType.Guild, ContextType.BotDM, ContextType.PrivateChannel],
} as const satisfies RESTPutAPIApplicationCommandsJSONBody[number];
