import { REST } from '@discordjs/rest';
import cron from 'node-cron';
import { Client, Events, GatewayIntentBits, MessageFlags, Partials, type Interaction } from 'discord.js';
import type { DestinationStream } from 'pino';
import { storyCancelId } from '../commands/buttons/story.ts';
import { ChatClient } from './llm/chatClient.ts';
import { createStoryMessenger } from './discord/storyMessage.ts';
import { confirmationButtons, panelControls } from '../commands/buttons/panel/controls.ts';
import { createConfirmationAsker } from './discord/askConfirmation.ts';
import { dispatchInteraction } from '../commands/dispatch.ts';
import { Vault } from './accounts/crypto.ts';
import { orchestratorFor } from './accounts/orchestratorForUser.ts';
import { CivitaiApi } from './civitai/civitaiApi.ts';
import { OrchestratorPool } from './civitai/orchestratorPool.ts';
import { ExportSlots } from './comic/export/exportSlots.ts';
import { RenderSlots } from './comic/export/renderSlots.ts';
import { type SweepResult, sweepPictures } from './comic/storage/sweepPictures.ts';
import type { GenerationDeps } from './comic/generation/deps.ts';
import { drawingJob } from './comic/generation/drawingJob.ts';
import { publishedActivityJob } from './comic/publish/activity.ts';
import { createPostWriter } from './discord/postWriter.ts';
import { markTokenDead } from './comic/generation/message.ts';
import { callbackSchedule, defaultSchedule, fixedSchedule } from './comic/generation/schedule.ts';
import { panelRewrite } from './comic/prompt.ts';
import { shardOptions, type Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { Inbox } from './db/inbox.ts';
import type { AppDeps } from './deps.ts';
import { AckGate } from './discord/ackGate.ts';
import { sweepInbox } from './discord/inbox.ts';
import { withoutUnsafe } from './comic/text.ts';
import { InteractionChannels } from './discord/interactionChannels.ts';
import { rejectLongRateLimits } from './discord/discordErrors.ts';
import { createPanelMessenger } from './discord/messenger.ts';
import { createProgressLane } from './discord/progressLane.ts';
import { NO_MENTIONS } from './discord/render.ts';
import { callbackKey, callbackUrlFor } from './http/callbacks.ts';
import { countingDiscordTransport, InstrumentedOrchestrator } from './http/instrument.ts';
import { useTokenWithoutGateway } from './http/interactionsEndpoint.ts';
import { Metrics } from './http/metrics.ts';
import { httpPort, startHttpServer, type HttpServer } from './http/server.ts';
import { ImageStore } from './images/imageStore.ts';
import { PromptRewriter } from './llm/promptRewriter.ts';
import { createLog, type Log } from './log.ts';
import { DEFAULT_RETRY } from './jobs/outcome.ts';
import { newOwner } from './jobs/owner.ts';
import { createJobRunner, type JobRunner } from './jobs/runner.ts';

/** No client-side global cap for interaction-token calls (Discord applies only its per-webhook buckets). */
const INTERACTION_REQUESTS_PER_SECOND = 10_000;
/** One call of a publish to Discord (an upload of up to ten pages included) gives up after this long. */
const PUBLISH_CALL_TIMEOUT_MS = 60_000;
/** How often interactions left by stopped processes are looked for (besides once at start). */
const INBOX_SWEEP_MS = 60_000;

export interface Bot {
	readonly log: Log;
	readonly database: Database;
	readonly client: Client;
	readonly jobs: JobRunner;
	/** Health, metrics, HTTP interactions and callbacks; undefined when no HTTP server is configured. */
	readonly http: HttpServer | undefined;
	readonly metrics: Metrics;
	/** Removes picture files no row points at (what the daily sweep runs); for operators' scripts and tests. */
	sweepPictures(now?: number): Promise<SweepResult>;
	/** Stops taking interactions, lets running work finish (bounded), closes the database. */
	stop(): Promise<void>;
}

export interface StartOptions {
	/** Where logs go (stdout by default). */
	readonly logDestination?: DestinationStream;
}

/** The composition root: config → log → database → outside clients → Discord → poller. */
export async function startBot(config: Config, options: StartOptions = {}): Promise<Bot> {
	const log = createLog(config.LOG_LEVEL, options.logDestination, [
		config.DISCORD_TOKEN,
		config.CIVITAI_API_TOKEN,
		config.OPENAI_API_KEY,
		config.CALLBACK_SECRET,
		config.ENCRYPTION_KEY,
		config.METRICS_TOKEN,
		...config.ENCRYPTION_KEYS_OLD,
		callbackKey(config).toString('base64url'),
	]);
	const metrics = new Metrics();
	const database = await openDatabase({
		databaseUrl: config.DATABASE_URL,
		dataDir: config.DATA_DIR,
		onQuery: (sql) => metrics.countStatement(sql),
		onConnectionError: (error) => log.warn({ err: error }, 'a database connection broke; the pool opens a new one'),
	});
	log.info({ provider: database.provider, migrated: database.migrated }, 'database ready');

	const client = new Client({
		intents: [GatewayIntentBits.Guilds],
		// Interactions carry their channel; Partials.Channel lets discord.js keep DM channels. Guild channels
		// of uncached guilds are dropped all the same, so age restriction is read by InteractionChannels.
		partials: [Partials.Channel],
		allowedMentions: NO_MENTIONS,
		// Short rate limits are waited out by the client; long ones are thrown, and the delivery waits in the database.
		rest: { api: config.DISCORD_API_URL, rejectOnRateLimit: rejectLongRateLimits, makeRequest: countingDiscordTransport(metrics) },
		...shardOptions(config.DISCORD_SHARDS),
	});
	client.rest.on('rateLimited', (info) => log.warn({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'Discord rate limit'));

	// Interaction-token calls (edits of the original reply) are not bound to the bot's global rate limit:
	// a client of their own, so that a burst of progress edits never queues final deliveries behind it.
	const interactionRest = new REST({
		api: config.DISCORD_API_URL,
		globalRequestsPerSecond: INTERACTION_REQUESTS_PER_SECOND,
		rejectOnRateLimit: rejectLongRateLimits,
		makeRequest: countingDiscordTransport(metrics),
	});
	interactionRest.on('rateLimited', (info) => log.warn({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'Discord rate limit'));
	const images = new ImageStore(config.DATA_DIR);
	const messenger = createPanelMessenger({
		rest: client.rest,
		interactionRest,
		images,
		log,
		onTokenDead: (id) => markTokenDead(database.db, id),
		controls: panelControls,
	});
	// A few progress edits at a time, none while Discord rate-limits the bot: final deliveries go first.
	const progress = config.PANEL_PROGRESS === 'on' ? createProgressLane(messenger, { maxInFlight: 4 }) : undefined;
	for (const rest of [client.rest, interactionRest]) rest.on('rateLimited', (info) => progress?.pauseUntil(Date.now() + info.retryAfter));
	// One bounded LLM client: the panel rewriter and the story planner both use it.
	const chat = config.OPENAI_API_KEY
		? new ChatClient({ apiKey: config.OPENAI_API_KEY, baseUrl: config.OPENAI_BASE_URL, model: config.OPENAI_MODEL })
		: undefined;
	const orchestratorOptions = { baseUrl: config.ORCHESTRATOR_URL, timeoutMs: config.ORCHESTRATOR_TIMEOUT_SECONDS * 1000, imageHosts: config.IMAGE_HOSTS };
	const botOrchestrator = new InstrumentedOrchestrator({ ...orchestratorOptions, token: config.CIVITAI_API_TOKEN }, metrics);
	// Users' own keys (docs/decisions/011-accounts-and-server-settings.md): one client per key, found by the key's hash.
	const accounts: AppDeps['accounts'] = {
		db: database.db,
		log,
		vault: Vault.fromBase64(config.ENCRYPTION_KEY, config.ENCRYPTION_KEYS_OLD),
		orchestrators: new OrchestratorPool((token) => new InstrumentedOrchestrator({ ...orchestratorOptions, token }, metrics)),
		botOrchestrator,
	};
	const limits = {
		inFlightPerUser: config.MAX_PANELS_IN_FLIGHT_PER_USER,
		perUserPerDay: config.MAX_PANELS_PER_USER_PER_DAY,
		perGuildPerDay: config.MAX_PANELS_PER_GUILD_PER_DAY,
		queuedPerUser: config.MAX_PANELS_QUEUED_PER_USER,
		buzzPerUserPerDay: config.MAX_BUZZ_PER_USER_PER_DAY,
		buzzPerGuildPerDay: config.MAX_BUZZ_PER_GUILD_PER_DAY,
	};
	const generation: GenerationDeps = {
		db: database.db,
		limits,
		log,
		botOrchestrator,
		payerFor: (ownerId, paidBy) => orchestratorFor(accounts, ownerId, paidBy),
		rewriter: chat ? new PromptRewriter({ chat, instructions: panelRewrite, timeoutMs: config.OPENAI_TIMEOUT_SECONDS * 1000 }) : undefined,
		images,
		storyMessenger: createStoryMessenger({ db: database.db, rest: client.rest, interactionRest, images, log, cancelId: storyCancelId }),
		queue: { inFlightPerUser: config.MAX_PANELS_IN_FLIGHT_PER_USER, queuedPerUser: config.MAX_PANELS_QUEUED_PER_USER },
		storyPlanTtlMs: config.STORY_PLAN_TTL_MINUTES * 60_000,
		// With callbacks, polling is only the safety net (docs/decisions/004-scale.md).
		schedule: config.POLL_SCHEDULE === 'fixed' ? fixedSchedule(config.POLL_INTERVAL_SECONDS * 1000) : config.PUBLIC_URL ? callbackSchedule : defaultSchedule,
		callbackUrlFor: config.PUBLIC_URL ? callbackUrlFor(config.PUBLIC_URL, callbackKey(config)) : undefined,
		messenger: metrics.timeDeliveries(messenger),
		progressMessenger: progress?.messenger,
		askConfirmation: createConfirmationAsker({ rest: interactionRest, buttons: confirmationButtons }),
		renders: new RenderSlots(config.MAX_CONCURRENT_RENDERS, config.RENDER_WAIT_SECONDS * 1000),
		rerenderCooldownMs: config.RERENDER_COOLDOWN_SECONDS * 1000,
	};
	const inbox = new Inbox(database.db);
	// Publishing's calls: each bounded, so a stalled Discord never holds a publish (or the activity job) for long.
	const posts = createPostWriter(client.rest, { timeoutMs: PUBLISH_CALL_TIMEOUT_MS });
	const jobs = createJobRunner({
		log,
		owner: newOwner(),
		leaseMs: config.PANEL_LEASE_SECONDS * 1000,
		kinds: [drawingJob(generation, { ...DEFAULT_RETRY, attempts: config.ORCHESTRATOR_RETRY_ATTEMPTS, baseMs: config.ORCHESTRATOR_RETRY_BASE_MS })],
	});
	// Published posts' activity notes have a runner of their own: the drawings' runner wakes for every
	// drawing due, and each wake would read the posts' due rows too (3.5 statements a panel); this one
	// looks once a tick, which is soon enough for notes edited at most once per PUBLISH_ACTIVITY_SECONDS.
	const activity = createJobRunner({
		log,
		owner: jobs.owner,
		leaseMs: config.PANEL_LEASE_SECONDS * 1000,
		kinds: [publishedActivityJob({ db: database.db, writer: posts, log, intervalMs: config.PUBLISH_ACTIVITY_SECONDS * 1000 })],
	});
	// Work held by a process of this host that died (kill -9, a crash) is taken up now, not when its leases run out.
	const released = (await jobs.releaseDeadLeases()) + (await activity.releaseDeadLeases());
	if (released > 0) log.info({ released }, 'resuming the work of a previous run');
	const deps: AppDeps = {
		config,
		log,
		db: database.db,
		civitai: new CivitaiApi({ baseUrl: config.CIVITAI_API_URL }),
		generation,
		accounts,
		limits,
		jobs,
		interactionChannels: new InteractionChannels().attach(client),
		ackGate: new AckGate(),
		chat,
		exports: new ExportSlots(),
		publishes: new ExportSlots(),
		posts,
	};

	const inFlight = new Set<Promise<void>>();
	let accepting = true;
	client.on(Events.InteractionCreate, (interaction) => {
		if (!accepting) {
			void refuseWhileStopping(interaction).catch((error: unknown) =>
				log.debug({ err: error, interactionId: interaction.id }, 'could not refuse an interaction while stopping'),
			);
			return;
		}
		deps.ackGate.arrive(interaction.id);
		// Stored while the handler starts checking; its acknowledgement waits for the row (AckGate.watch).
		const taken = takeIn(interaction);
		const work = dispatchInteraction(interaction, deps, taken)
			.finally(async () => (await taken) && inbox.finish(interaction.id))
			.finally(() => {
				deps.ackGate.acknowledged(interaction.id);
				inFlight.delete(work);
			});
		inFlight.add(work);
	});
	/** Every interaction that can be acknowledged is stored first: a crash after its acknowledgement never loses it. */
	const takeIn = async (interaction: Interaction): Promise<boolean> => {
		if (!interaction.isRepliable()) return false;
		const arrival = {
			interactionId: interaction.id,
			applicationId: interaction.applicationId,
			token: interaction.token,
			command: commandLabel(interaction),
			owner: jobs.owner,
		};
		return inbox.accept(arrival).then(
			() => true,
			(error: unknown) => {
				log.warn({ err: error, interactionId: interaction.id }, 'could not store an interaction in the inbox; handling it all the same');
				return false;
			},
		);
	};
	// Commands a stopped process acknowledged and never finished: told to run them again (docs/decisions/022-inbox.md).
	const sweep = () =>
		void sweepInbox({ db: database.db, inbox, webhooks: interactionRest, log, owner: jobs.owner }).catch((error: unknown) =>
			log.warn({ err: error }, 'could not look at interactions left by stopped processes'),
		);
	const sweeper = setInterval(sweep, INBOX_SWEEP_MS);
	sweeper.unref();
	client.once(Events.ClientReady, (ready) => log.info({ user: ready.user.tag, applicationId: ready.application.id }, 'connected to Discord'));

	// HTTP interactions mode: Discord POSTs interactions to the HTTP server; no websocket at all.
	if (config.INTERACTIONS_MODE === 'http') useTokenWithoutGateway(client, config.DISCORD_TOKEN);
	else await client.login(config.DISCORD_TOKEN);
	jobs.start(config.POLL_INTERVAL_SECONDS);
	activity.start(config.POLL_INTERVAL_SECONDS);
	sweep();
	log.info({ intervalSeconds: config.POLL_INTERVAL_SECONDS }, 'job runner started');
	// A calendar schedule (node-cron): picture files of rows deleted while this process was down, or by
	// another process, and writes cut short. Each process sweeps its own DATA_DIR.
	const sweepFiles = (now?: number) => sweepPictures({ db: database.db, images, log }, now);
	const sweepTask = cron.schedule(
		config.STORAGE_SWEEP_CRON,
		() =>
			sweepFiles().then(
				() => undefined,
				(error: unknown) => log.warn({ err: error }, 'the picture sweep failed; it runs again tomorrow'),
			),
		{ noOverlap: true, name: 'storage-sweep' },
	);
	const port = httpPort(config);
	const http = port === undefined ? undefined : await startHttpServer({ config, log, db: database.db, client, metrics, poke: jobs.poke }, port);

	return {
		log,
		database,
		client,
		jobs,
		http,
		metrics,
		sweepPictures: sweepFiles,
		async stop() {
			accepting = false;
			await sweepTask.stop();
			await sweepTask.destroy();
			// No new requests or polls; running steps and commands may finish within one grace for all of them.
			// Whatever is cut short keeps its row and its lease runs out, so the next start (or another process) resumes it.
			const settled = await within(Promise.allSettled([http?.close(), jobs.stop(), activity.stop(), ...inFlight]), config.SHUTDOWN_GRACE_SECONDS * 1000);
			if (!settled) log.warn({ graceSeconds: config.SHUTDOWN_GRACE_SECONDS }, 'shutdown grace ran out; unfinished panels resume on the next start');
			clearInterval(sweeper);
			await inbox.flush().catch((error: unknown) => log.warn({ err: error }, 'could not write the inbox before stopping'));
			await client.destroy();
			await database.close();
			log.info('stopped');
		},
	};
}

/**
 * What an interaction was, for the inbox's logs: `panel`, `project create`, `button redraw`, … A custom id is
 * whatever the client sent: its control characters are taken out, or PostgreSQL would refuse the row (a NUL).
 */
function commandLabel(interaction: Interaction): string {
	return withoutUnsafe(label(interaction));
}

function label(interaction: Interaction): string {
	if (interaction.isChatInputCommand()) {
		const parts = [interaction.commandName, interaction.options.getSubcommandGroup(false), interaction.options.getSubcommand(false)];
		return parts.filter((part) => part !== null).join(' ');
	}
	if (interaction.isMessageComponent()) return `button ${interaction.customId.split(':')[0] ?? ''}`.slice(0, 60);
	if (interaction.isModalSubmit()) return `modal ${interaction.customId.split(':')[0] ?? ''}`.slice(0, 60);
	return `type ${interaction.type}`;
}

/** While stopping, a user is told to try again instead of seeing Discord's "interaction failed". */
async function refuseWhileStopping(interaction: Interaction): Promise<void> {
	if (interaction.isAutocomplete()) await interaction.respond([]);
	else if (interaction.isRepliable())
		await interaction.reply({ content: 'The bot is restarting. Try again in a minute.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

/** Whether `work` settled within `ms`. */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<false>((resolve) => {
		timer = setTimeout(() => resolve(false), ms);
	});
	try {
		return await Promise.race([work.then(() => true), timeout]);
	} finally {
		clearTimeout(timer);
	}
}
