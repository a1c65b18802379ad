import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { DestinationStream } from 'pino';
import { CivitaiApi } from './civitai/civitaiApi.ts';
import { Orchestrator } from './civitai/orchestrator.ts';
import type { PanelDeps } from './comic/panels/panelDeps.ts';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import type { AppDeps } from './deps.ts';
import { dispatchInteraction } from './discord/dispatch.ts';
import { createPanelMessenger } from './discord/messenger.ts';
import { NO_MENTIONS } from './discord/render.ts';
import { ImageStore } from './images/imageStore.ts';
import { PromptRewriter } from './llm/promptRewriter.ts';
import { createLog, type Log } from './log.ts';
import { defaultSchedule } from './poller/schedule.ts';
import { startPoller, type Poller } from './poller/poller.ts';

export interface Bot {
	readonly log: Log;
	readonly database: Database;
	readonly client: Client;
	readonly poller: Poller;
	/** Stops taking interactions, lets running work finish (bounded), closes the database. */
	stop(): Promise<void>;
}

export interface StartOptions {
	/** Where logs go (stdout by default). */
	readonly logDestination?: DestinationStream;
}

/** The composition root: config → log → database → outside clients → Discord → poller. */
export async function startBot(config: Config, options: StartOptions = {}): Promise<Bot> {
	const log = createLog(config.LOG_LEVEL, options.logDestination);
	const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
	log.info({ provider: database.provider, migrated: database.migrated }, 'database ready');

	const client = new Client({
		intents: [GatewayIntentBits.Guilds],
		// Interactions carry their channel; Partials.Channel lets discord.js keep it (age restriction) without a guild cache.
		partials: [Partials.Channel],
		allowedMentions: NO_MENTIONS,
		rest: { api: config.DISCORD_API_URL },
	});
	client.rest.on('rateLimited', (info) => log.warn({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'Discord rate limit'));

	const images = new ImageStore(config.DATA_DIR);
	const panels: PanelDeps = {
		db: database.db,
		log,
		orchestrator: new Orchestrator({ baseUrl: config.ORCHESTRATOR_URL, token: config.CIVITAI_API_TOKEN }),
		rewriter: config.OPENAI_API_KEY ? new PromptRewriter({ apiKey: config.OPENAI_API_KEY, baseUrl: config.OPENAI_BASE_URL, model: config.OPENAI_MODEL }) : undefined,
		images,
		schedule: defaultSchedule,
		messenger: createPanelMessenger({ rest: client.rest, images, log }),
	};
	const leaseOwner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
	const deps: AppDeps = {
		config,
		log,
		db: database.db,
		civitai: new CivitaiApi({ baseUrl: config.CIVITAI_API_URL }),
		panels,
		limits: {
			inFlightPerUser: config.MAX_PANELS_IN_FLIGHT_PER_USER,
			perUserPerDay: config.MAX_PANELS_PER_USER_PER_DAY,
			perGuildPerDay: config.MAX_PANELS_PER_GUILD_PER_DAY,
		},
		leaseOwner,
	};

	const inFlight = new Set<Promise<void>>();
	let accepting = true;
	client.on(Events.InteractionCreate, (interaction) => {
		if (!accepting) return;
		const work = dispatchInteraction(interaction, deps).finally(() => inFlight.delete(work));
		inFlight.add(work);
	});
	client.once(Events.ClientReady, (ready) => log.info({ user: ready.user.tag, applicationId: ready.application.id }, 'connected to Discord'));

	await client.login(config.DISCORD_TOKEN);
	const poller = startPoller(panels, { owner: leaseOwner, intervalSeconds: config.POLL_INTERVAL_SECONDS });
	log.info({ intervalSeconds: config.POLL_INTERVAL_SECONDS }, 'poller started');

	return {
		log,
		database,
		client,
		poller,
		async stop() {
			accepting = false;
			await poller.stop();
			await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
			await client.destroy();
			await database.close();
			log.info('stopped');
		},
	};
}
