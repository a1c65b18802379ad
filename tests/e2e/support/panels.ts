// Helpers for the panel tests: set up a project with a character, send /comic panel, read the row.
import { expect } from 'vitest';
import type { Drawing, Drawing as Panel } from '../../../src/db/database.ts';
import { modelVersion, type ModelVersionOverrides } from '../../fakes/civitai.ts';
import type { CommandInput, FakeDiscord, FakeMessage } from '../../fakes/discord.ts';
import { embedOf, type World } from '../../world.ts';

let nextUser = 100_000_000_000_001_000n;

/** A fresh Discord user id, so tests in one world never share projects, limits or in-flight panels. */
export function newUserId(): string {
	nextUser += 1n;
	return nextUser.toString();
}

export interface Setup {
	readonly userId: string;
	readonly project: string;
	readonly character: string;
	readonly trainedWords: readonly string[];
}

/** Creates a project with one character (an SDXL LoRA unless told otherwise) for a new user. */
export async function projectWithCharacter(world: World, options: { userId?: string; guildId?: string; version?: ModelVersionOverrides } = {}): Promise<Setup> {
	const userId = options.userId ?? newUserId();
	const version = modelVersion({ baseModel: 'SDXL 1.0', trainedWords: ['herochar'], ...options.version });
	world.civitai.addModelVersion(version);
	const project = `Project ${userId.slice(-6)}-${version.id}`;
	const where = { userId, ...(options.guildId ? { guildId: options.guildId } : {}) };
	await world.command({ ...where, group: 'project', subcommand: 'create', options: { name: project } });
	const added = await world.command({ ...where, group: 'character', subcommand: 'add', options: { project, model: String(version.id) } });
	await world.waitForOriginal(added.id, (message) => message.content.includes('Added'));
	return { userId, project, character: version.model.name, trainedWords: version.trainedWords };
}

/** Sends `/comic panel` as the setup's user; `input` may change the channel, guild or options. */
export function drawPanel(
	world: World,
	setup: Setup,
	prompt: string,
	input: Omit<CommandInput, 'subcommand' | 'options'> & { enhance?: boolean } = {},
): { id: string; token: string } {
	const { enhance, ...where } = input;
	return world.discord.sendCommand({
		userId: setup.userId,
		...where,
		subcommand: 'panel',
		options: { project: setup.project, prompt, ...(enhance === undefined ? { enhance: false } : { enhance }) },
	});
}

export async function panelOf(world: World, interactionId: string): Promise<Drawing | null> {
	return world.bot.database.db.drawing.findFirst({ where: { interactionId } });
}

/** Waits until the panel of an interaction satisfies `check` in the database. */
export async function waitForPanel(world: World, interactionId: string, check: (panel: Drawing) => boolean, timeoutMs = 15_000): Promise<Drawing> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const panel = await panelOf(world, interactionId);
		if (panel && check(panel)) return panel;
		if (Date.now() > deadline)
			throw new Error(
				`panel of ${interactionId} never matched; last state: ${JSON.stringify(panel && { status: panel.status, delivery: panel.delivery, failureReason: panel.failureReason, errorCount: panel.errorCount })}`,
			);
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

/** Waits until the panel has failed and its message shows it; returns the row and the message's footer text. */
export async function waitForFailure(world: World, interactionId: string, timeoutMs = 15_000): Promise<{ panel: Panel; message: FakeMessage; footer: string }> {
	const panel = await waitForPanel(world, interactionId, (row) => row.status === 'failed' && row.delivery !== 'pending', timeoutMs);
	const message = await world.waitForOriginal(
		interactionId,
		(original) => footerOf(original).length > 0 && JSON.stringify(original.embeds).includes('Failed'),
		timeoutMs,
	);
	return { panel, message, footer: footerOf(message) };
}

export function footerOf(message: FakeMessage): string {
	const footer = embedOf(message).footer;
	return typeof footer === 'object' && footer !== null && 'text' in footer && typeof footer.text === 'string' ? footer.text : '';
}

/** The textToImage input of a submission to the fake orchestrator. */
export function submittedInput(body: unknown): Record<string, unknown> {
	const steps = typeof body === 'object' && body !== null && 'steps' in body && Array.isArray(body.steps) ? body.steps : [];
	const [step] = steps;
	return typeof step === 'object' && step !== null && 'input' in step && typeof step.input === 'object' && step.input !== null ? { ...step.input } : {};
}

/** Every message the bot wrote (webhook edits, channel messages, interaction replies) pings nobody. */
export function expectNoPings(discord: FakeDiscord): void {
	const writes = discord.requests.filter((request) => ['PATCH', 'POST'].includes(request.method) && /messages|webhooks|callback/.test(request.path));
	expect(writes.length).toBeGreaterThan(0);
	for (const write of writes) {
		const body = write.json;
		if (typeof body !== 'object' || body === null) continue;
		// Interaction callbacks carry the message in `data`; a bare deferral carries no message at all.
		const message = 'data' in body && typeof body.data === 'object' && body.data !== null ? body.data : body;
		if (!('content' in message) && !('embeds' in message)) continue;
		expect('allowed_mentions' in message ? message.allowed_mentions : undefined, `${write.method} ${write.path}`).toEqual({ parse: [] });
	}
}
