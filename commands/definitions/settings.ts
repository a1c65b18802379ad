import type { APIApplicationCommandSubcommandOption } from 'discord.js';
import { SETTING_RANGES } from '../../src/accounts/limits.ts';
import { OptionType } from './types.ts';

/**
 * Manage Server is checked when it runs: `default_member_permissions` applies to the whole `/comic`
 * command and cannot be set for one subcommand.
 */
export const settingsDefinition = {
	type: OptionType.Subcommand,
	name: 'settings',
	description: "This server's rules for the bot (Manage Server); no option shows them",
	options: [
		{ type: OptionType.Boolean, name: 'shared_key', description: "Whether members without their own Civitai key may use the bot's key", required: false },
		{
			type: OptionType.Integer,
			name: 'server_daily_limit',
			description: 'Panels per day on this server, all members together (0 = no limit)',
			required: false,
			min_value: SETTING_RANGES.serverDailyLimit.min,
			max_value: SETTING_RANGES.serverDailyLimit.max,
		},
		{
			type: OptionType.Integer,
			name: 'user_daily_limit',
			description: 'Panels per day for each member',
			required: false,
			min_value: SETTING_RANGES.userDailyLimit.min,
			max_value: SETTING_RANGES.userDailyLimit.max,
		},
		{ type: OptionType.Boolean, name: 'enhance_default', description: 'Whether prompts are rewritten by the AI when `enhance` is left out', required: false },
		{
			type: OptionType.Integer,
			name: 'user_daily_buzz',
			description: 'Buzz per day for each member (0 = no budget)',
			required: false,
			min_value: SETTING_RANGES.userDailyBuzz.min,
			max_value: SETTING_RANGES.userDailyBuzz.max,
		},
		{
			type: OptionType.Integer,
			name: 'server_daily_buzz',
			description: 'Buzz per day on this server, all members together (0 = no budget)',
			required: false,
			min_value: SETTING_RANGES.serverDailyBuzz.min,
			max_value: SETTING_RANGES.serverDailyBuzz.max,
		},
		{
			type: OptionType.Integer,
			name: 'confirm_above',
			description: 'Buzz: panels estimated above this ask their owner first, with Draw / Cancel (default 50)',
			required: false,
			min_value: SETTING_RANGES.confirmAbove.min,
			max_value: SETTING_RANGES.confirmAbove.max,
		},
		{ type: OptionType.Role, name: 'comic_role', description: "Members with this role may create the server's comics (server:true)", required: false },
		{
			type: OptionType.Boolean,
			name: 'clear_comic_role',
			description: "True: no comic role any more; only Manage Server may then create the server's comics",
			required: false,
		},
	],
} as const satisfies APIApplicationCommandSubcommandOption;
