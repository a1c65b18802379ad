import { Writable } from 'node:stream';
import { startBot, type Bot } from '../src/app.ts';
import { parseConfig, type Config } from '../src/config.ts';
import { startFakes } from './fakes/all.ts';
import type { FakeCivitai } from './fakes/civitai.ts';
import type { AutocompleteInput, ButtonInput, CallbackRecord, CommandInput, FakeDiscord, FakeMessage } from './fakes/discord.ts';
import type { FakeOpenAI } from './fakes/openai.ts';
import type { FakeOrchestrator } from './fakes/orchestrator.ts';

/**
 * The real bot (its composition root, the real discord.js client, real HTTP) against local fakes
 * of Discord, Civitai, the orchestrator and an OpenAI-compatible server, on a fresh database.
 */
export interface World {
	readonly discord: FakeDiscord;
	readonly civitai: FakeCivitai;
	readonly orchestrator: FakeOrchestrator;
	readonly openai: FakeOpenAI;
	readonly config: Config;
	/** The running bot; a new one after `restartBot()`. */
	readonly bot: Bot;
	readonly logs: string[];
	/** Stops the bot and starts a new one on the same database, data folder and fakes (a restart). */
	restartBot(): Promise<void>;
	/** Sends a `/comic` command and waits until the bot has answered it. */
	command(input: CommandInput): Promise<{ id: string; token: string; reply: FakeMessage }>;
	/** Waits until the panel message of an interaction satisfies `check`. */
	waitForOriginal(interactionId: string, check: (message: FakeMessage) => boolean, timeoutMs?: number): Promise<FakeMessage>;
	close(): Promise<void>;
}

export async function startWorld(env: Record<string, string> = {}): Promise<World> {
	const fakes = await startFakes('comic-bot-');
	const { discord, civitai, orchestrator, openai } = fakes;
	const config = parseConfig({ ...fakes.env, ...env });
	const logs: string[] = [];
	const sink = new Writable({
		write(chunk: Buffer, _encoding, done) {
			logs.push(chunk.toString());
			done();
		},
	});
	let bot = await startBot(config, { logDestination: sink });
	// In HTTP interactions mode there is no gateway connection to wait for.
	if (config.INTERACTIONS_MODE === 'gateway') await discord.waitFor(() => discord.connections > 0 || undefined);

	const answered = (id: string) => (discord.callbacks.get(id)?.length ?? 0) > 0;
	return {
		discord,
		civitai,
		orchestrator,
		openai,
		config,
		get bot() {
			return bot;
		},
		logs,
		async restartBot() {
			await bot.stop();
			await discord.waitFor(() => discord.connections === 0 || undefined);
			bot = await startBot(config, { logDestination: sink });
			if (config.INTERACTIONS_MODE === 'gateway') await discord.waitFor(() => discord.connections > 0 || undefined);
		},
		async command(input) {
			const sent = discord.sendCommand(input);
			await discord.waitFor(() => answered(sent.id) || undefined, 15_000);
			const reply = await discord.waitFor(() => discord.originalMessage(sent.id));
			return { ...sent, reply };
		},
		waitForOriginal(interactionId, check, timeoutMs = 15_000) {
			return discord.waitFor(() => {
				const message = discord.originalMessage(interactionId);
				return message && check(message) ? message : undefined;
			}, timeoutMs);
		},
		async close() {
			await bot.stop();
			await fakes.close();
		},
	};
}

/** The first embed of a message, for assertions. */
export function embedOf(message: FakeMessage): Record<string, unknown> {
	const [embed] = message.embeds;
	return typeof embed === 'object' && embed !== null ? (embed as Record<string, unknown>) : {};
}

/** Presses a button and waits until the bot has answered the press (any callback). */
export async function pressButton(world: World, input: ButtonInput): Promise<{ id: string; callback: CallbackRecord }> {
	const sent = world.discord.sendButton(input);
	const callback = await world.discord.waitFor(() => world.discord.callbacks.get(sent.id)?.[0], 15_000);
	return { id: sent.id, callback };
}

/** Types into an autocomplete option and returns the choices the bot offered. */
export async function autocompleteChoices(world: World, input: AutocompleteInput): Promise<{ name: string; value: string }[]> {
	const sent = world.discord.sendAutocomplete(input);
	const choices = await world.discord.waitFor(() => world.discord.autocompleteChoices(sent.id), 5_000);
	return choices.map((choice) => {
		const { name, value } = typeof choice === 'object' && choice !== null ? { name: Reflect.get(choice, 'name'), value: Reflect.get(choice, 'value') } : {};
		return { name: String(name), value: String(value) };
	});
}
