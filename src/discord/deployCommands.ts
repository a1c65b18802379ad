import { existsSync } from 'node:fs';
import { REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
import { z } from 'zod';
import { comicCommand } from '../../commands/definition.ts';
import { ConfigError, parseConfig, type Config } from '../config.ts';

/**
 * Registers `/comic`: to one guild when DISCORD_GUILD_ID is set (instant, for development), else
 * globally. A bulk overwrite, so running it again with unchanged definitions changes nothing.
 */
export async function deployCommands(
	config: Config,
	rest = new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN),
): Promise<{ scope: string; count: number }> {
	const applicationId = config.DISCORD_APPLICATION_ID ?? z.object({ id: z.string() }).parse(await rest.get(Routes.currentApplication())).id;
	const body = [comicCommand()];
	const route = config.DISCORD_GUILD_ID ? Routes.applicationGuildCommands(applicationId, config.DISCORD_GUILD_ID) : Routes.applicationCommands(applicationId);
	const answer = z.array(z.unknown()).parse(await rest.put(route, { body }));
	return { scope: config.DISCORD_GUILD_ID ? `guild ${config.DISCORD_GUILD_ID}` : 'global', count: answer.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
	if (existsSync('.env')) process.loadEnvFile('.env');
	try {
		const result = await deployCommands(parseConfig(process.env));
		console.log(
			`Registered ${result.count} command (/comic) ${result.scope === 'global' ? 'globally (may take up to an hour to show everywhere)' : `to ${result.scope}`}.`,
		);
	} catch (error) {
		if (error instanceof ConfigError) console.error(`Cannot deploy: fix these settings.\n${error.problems.map((problem) => `  ${problem}`).join('\n')}`);
		else console.error(`Deploying the commands failed: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	}
}
