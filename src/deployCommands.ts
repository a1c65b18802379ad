// The entry of `npm run deploy-commands`. It imports the definitions, the config and the REST client
// only (no database, no handlers, no poller), so the bundle stays small and registering needs nothing else.
import { existsSync } from 'node:fs';
import { REST } from '@discordjs/rest';
import { z } from 'zod';
import { comicGlobalCommand, comicGuildCommand } from '../commands/definitions/comic.ts';
import { makeCharacterGlobalCommand, makeCharacterGuildCommand } from '../commands/definitions/makeCharacter.ts';
import { ConfigError, parseConfig, type Config } from './config.ts';

/**
 * Registers `/comic` and the message command "Make a character": to one guild when DISCORD_GUILD_ID is set (instant, for development), else
 * globally. A bulk overwrite, so running it again with unchanged definitions changes nothing.
 * The routes are written out: `Routes` of discord.js would load all of discord.js for three strings.
 * @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
 * @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-guild-application-commands
 */
export async function deployCommands(
	config: Config,
	rest = new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN),
): Promise<{ scope: string; count: number }> {
	const applicationId = config.DISCORD_APPLICATION_ID ?? z.object({ id: z.string() }).parse(await rest.get('/applications/@me')).id;
	const guildId = config.DISCORD_GUILD_ID;
	const answer = z
		.array(z.unknown())
		.parse(
			guildId
				? await rest.put(`/applications/${applicationId}/guilds/${guildId}/commands`, { body: [comicGuildCommand, makeCharacterGuildCommand] })
				: await rest.put(`/applications/${applicationId}/commands`, { body: [comicGlobalCommand, makeCharacterGlobalCommand] }),
		);
	return { scope: guildId ? `guild ${guildId}` : 'global', count: answer.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
	if (existsSync('.env')) process.loadEnvFile('.env');
	try {
		const result = await deployCommands(parseConfig(process.env));
		console.log(
			`Registered ${result.count} commands (/comic, Make a character) ${result.scope === 'global' ? 'globally (may take up to an hour to show everywhere)' : `to ${result.scope}`}.`,
		);
	} catch (error) {
		if (error instanceof ConfigError) console.error(`Cannot deploy: fix these settings.\n${error.problems.map((problem) => `  ${problem}`).join('\n')}`);
		else console.error(`Deploying the commands failed: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	}
}
