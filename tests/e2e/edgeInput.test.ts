// Input checked at the edge, before anything is deferred or stored: numbers past the database's integer,
// control and broken characters, options of the wrong type, missing, unknown or extra options, and forms
// without their fields get one plain private answer, the same on SQLite and on PostgreSQL.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CommandInput, ModalInput } from '../fakes/discord.ts';
import { autocompleteChoices, startWorld, type World } from '../world.ts';
import { buttonsOf } from './support/actions.ts';
import { newUserId, projectWithCharacter } from './support/panels.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world?.close();
});

async function rows() {
	const db = world.bot.database.db;
	return {
		projects: await db.project.findMany({ orderBy: { id: 'asc' } }),
		characters: await db.character.findMany({ orderBy: { id: 'asc' } }),
		panels: await db.panel.findMany({ orderBy: { id: 'asc' } }),
	};
}

/** The first answer to an interaction: a private reply (callback 4, ephemeral), not a deferral; nothing stored. */
async function refusedAtOnce(send: () => { id: string }): Promise<string> {
	const before = await rows();
	const { id } = send();
	const [first] = await world.discord.waitFor(() => world.discord.callbacks.get(id), 15_000);
	expect(first?.type, JSON.stringify(first)).toBe(4);
	const reply = await world.waitForOriginal(id, (message) => message.content !== '');
	expect(reply.ephemeral, reply.content).toBe(true);
	expect(reply.content).not.toMatch(/reference|went wrong/);
	expect(await rows()).toEqual(before);
	return reply.content;
}

const command = (input: CommandInput) => refusedAtOnce(() => world.discord.sendCommand(input));
const modal = (input: ModalInput) => refusedAtOnce(() => world.discord.sendModalSubmit(input));

test('panel numbers past the database integer are refused saying the range, by panels delete, move and text, and read', async () => {
	const setup = await projectWithCharacter(world);
	const { userId, project } = setup;
	const sent = world.discord.sendCommand({ userId, subcommand: 'panel', options: { project, prompt: 'a panel', enhance: false } });
	await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1 && buttonsOf(message).length > 0, 20_000);

	for (const panel of [4_294_967_297, 2 ** 31, 10_001]) {
		expect(await command({ userId, group: 'panels', subcommand: 'delete', options: { project, panel } })).toContain('`panel` option must be from 1 to 10000');
		expect(await command({ userId, group: 'panels', subcommand: 'move', options: { project, panel, to: 1 } })).toContain('`panel` option must be from 1 to');
		expect(await command({ userId, group: 'panels', subcommand: 'text', options: { project, panel, caption: 'hi' } })).toContain('`panel` option must be');
	}
	expect(await command({ userId, group: 'panels', subcommand: 'move', options: { project, panel: 1, to: 2 ** 31 } })).toContain('`to` option must be');
	expect(await command({ userId, subcommand: 'read', options: { project, page: 2 ** 40 } })).toContain('`page` option must be');
	expect(await command({ userId, subcommand: 'panel', options: { project, prompt: 'x', takes: 2 ** 31 } })).toContain('`takes` option must be from 1 to 4');
	// Past the safe integers, and a fraction in an integer option: not a whole number.
	expect(await command({ userId, group: 'panels', subcommand: 'delete', options: { project, panel: 1e300 } })).toContain('whole number');
	expect(
		await command({
			userId,
			rawOptions: [
				{
					type: 2,
					name: 'panels',
					options: [
						{
							type: 1,
							name: 'delete',
							options: [
								{ type: 3, name: 'project', value: project },
								{ type: 4, name: 'panel', value: 1.5 },
							],
						},
					],
				},
			],
		}),
	).toContain('whole number');
}, 60_000);

test('a NUL, another control character or a lone surrogate in a name or text is refused plainly, and nothing is stored', async () => {
	const userId = newUserId();
	const create = (name: string, description?: string) =>
		command({ userId, group: 'project', subcommand: 'create', options: { name, ...(description === undefined ? {} : { description }) } });
	expect(await create('Nul\u0000Name')).toContain('control character (U+0000)');
	expect(await create('Bell\u0007')).toContain('control character (U+0007)');
	expect(await create('C1\u0085')).toContain('control character (U+0085)');
	expect(await create('Half \ud83d emoji')).toContain('broken character');
	expect(await create('Low \ude00 half')).toContain('broken character');
	expect(await create('Fine', 'desc\u0000')).toContain('`description` option contains');
	// Line breaks and tabs are ordinary in text, and a whole emoji is fine.
	const fine = await world.command({ userId, group: 'project', subcommand: 'create', options: { name: 'Sun 😀', description: 'one\n\ttwo' } });
	expect(fine.reply.content).toContain('Created');
	expect(await command({ userId, group: 'project', subcommand: 'show', options: { project: 'Sun \ud83d' } })).toContain('broken character');
	expect(await command({ userId, subcommand: 'panel', options: { project: 'Sun 😀', prompt: 'a\u0000b' } })).toContain('`prompt` option contains');
}, 60_000);

test('options of the wrong type, missing, unknown or given twice, and old commands get a plain refusal', async () => {
	const userId = newUserId();
	const sub = (group: string, name: string, options: unknown[]) => [{ type: 2, name: group, options: [{ type: 1, name, options }] }];
	// An integer option sent as text (an old registration), and text sent with an integer's type.
	expect(
		await command({
			userId,
			rawOptions: sub('panels', 'delete', [
				{ type: 3, name: 'project', value: 'P' },
				{ type: 3, name: 'panel', value: '3' },
			]),
		}),
	).toContain('`panel` option must be a whole number');
	expect(
		await command({
			userId,
			rawOptions: sub('panels', 'delete', [
				{ type: 3, name: 'project', value: 'P' },
				{ type: 4, name: 'panel', value: 'three' },
			]),
		}),
	).toContain('`panel` option must be a whole number');
	expect(await command({ userId, rawOptions: sub('project', 'create', [{ type: 4, name: 'name', value: 7 }]) })).toContain('`name` option must be text');
	expect(
		await command({
			userId,
			rawOptions: [
				{
					type: 1,
					name: 'panel',
					options: [
						{ type: 3, name: 'project', value: 'P' },
						{ type: 3, name: 'prompt', value: 'x' },
						{ type: 5, name: 'enhance', value: 'yes' },
					],
				},
			],
		}),
	).toContain('`enhance` option must be true or false');
	// A missing required integer.
	expect(await command({ userId, group: 'panels', subcommand: 'delete', options: { project: 'P' } })).toContain('`panel` option is missing');
	expect(await command({ userId, group: 'panels', subcommand: 'move', options: { project: 'P', panel: 1 } })).toContain('`to` option is missing');
	// Unknown and repeated options.
	expect(await command({ userId, group: 'project', subcommand: 'list', options: { colour: 'red' } })).toContain('no `colour` option');
	expect(
		await command({
			userId,
			rawOptions: sub('project', 'create', [
				{ type: 3, name: 'name', value: 'A' },
				{ type: 3, name: 'name', value: 'B' },
			]),
		}),
	).toContain('given twice');
	expect(await command({ userId, subcommand: 'export', options: { project: 'P', format: 'gif' } })).toContain('`format` option must be one of');
	// A subcommand this version lacks, `/comic` with none, and another command name altogether.
	expect(await command({ userId, group: 'project', subcommand: 'rename', options: { project: 'P' } })).toContain('not known to this version');
	expect(await command({ userId, rawOptions: [] })).toContain('not known to this version');
	expect(await command({ userId, name: 'draw', subcommand: 'panel', options: { prompt: 'x' } })).toContain('not known to this version');
}, 60_000);

test('a form without one of its fields, or with a control character in one, is refused plainly', async () => {
	const userId = newUserId();
	expect(await modal({ userId, customId: 'account-link', fields: {} })).toContain('missing one of its fields');
	expect(await modal({ userId, customId: 'account-link', fields: { api_key: `key\u0000${'k'.repeat(30)}` } })).toContain('control character');

	const setup = await projectWithCharacter(world);
	const sent = world.discord.sendCommand({ userId: setup.userId, subcommand: 'panel', options: { project: setup.project, prompt: 'a panel', enhance: false } });
	await world.waitForOriginal(sent.id, (message) => message.attachments.length === 1 && buttonsOf(message).length > 0, 20_000);
	const drawing = await world.bot.database.db.drawing.findFirstOrThrow({ where: { interactionId: sent.id } });
	const edit = (fields: Record<string, string>, legacyRows = false) =>
		modal({ userId: setup.userId, customId: `panel-edit:${drawing.id}`, fields, legacyRows });
	expect(await edit({ caption: 'only words' })).toContain('missing one of its fields');
	expect(await edit({ prompt: 'new\u0000prompt', caption: '', dialogue: '' })).toContain('`prompt` field contains');
	expect(await edit({ prompt: 'fine', caption: '\ud800', dialogue: '' }, true)).toContain('broken character');
}, 60_000);

test('a press whose custom id holds a NUL or a broken character is taken in like any other and refused plainly', async () => {
	const userId = newUserId();
	const listed = await world.command({ userId, group: 'project', subcommand: 'list' });
	for (const customId of ['\u0000', 'panel:redraw:\u0000', '\ud800:x']) {
		const logStart = world.logs.length;
		const { id } = world.discord.sendButton({ customId, messageId: listed.reply.id, userId });
		const [first] = await world.discord.waitFor(() => world.discord.callbacks.get(id), 15_000);
		expect(first).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('no longer works') } });
		// Stored in the inbox before it is dispatched, so before this answer (decision 022): PostgreSQL refused a row with a NUL.
		expect(world.logs.slice(logStart).filter((line) => line.includes('could not store an interaction in the inbox'))).toEqual([]);
	}
});

test('autocomplete of text with a NUL or a broken character offers nothing, without a failed query', async () => {
	const { userId, project } = await projectWithCharacter(world);
	const logStart = world.logs.length;
	for (const typed of ['Pro\u0000', '\ud800']) {
		expect(await autocompleteChoices(world, { userId, group: 'character', subcommand: 'remove', focused: 'project', options: { project: typed } })).toEqual([]);
		expect(
			await autocompleteChoices(world, { userId, group: 'character', subcommand: 'remove', focused: 'character', options: { project, character: typed } }),
		).toEqual([]);
	}
	const found = await autocompleteChoices(world, { userId, group: 'character', subcommand: 'remove', focused: 'project', options: { project } });
	expect(found.map((choice) => choice.name).join()).toContain(project);
	expect(world.logs.slice(logStart).filter((line) => line.includes('autocomplete failed'))).toEqual([]);
});
