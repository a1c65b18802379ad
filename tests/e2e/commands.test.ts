import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { modelVersion } from '../fakes/civitai.ts';
import type { CommandInput, FakeMessage } from '../fakes/discord.ts';
import { autocompleteChoices, embedOf, pressButton, startWorld, type World } from '../world.ts';

let world: World;
let db: Db;
beforeAll(async () => {
	world = await startWorld();
	db = world.bot.database.db;
	// Prompts that mention "forever" stay generating until canceled, so deletion has something to cancel.
	world.orchestrator.behaviour = (body) => (JSON.stringify(body).includes('forever') ? { durationMs: Number.POSITIVE_INFINITY } : {});
});
afterAll(async () => {
	await world?.close();
});

const NO_PINGS = { parse: [] };
let nextVersion = 910_000;

/** A command whose reply is final: deferred replies are waited for until they say something. */
async function run(input: CommandInput): Promise<FakeMessage> {
	const { id } = await world.command(input);
	return world.waitForOriginal(id, (message) => message.content !== '' || message.embeds.length > 0);
}

async function projectWithCharacters(userId: string, name: string, characters: readonly string[]): Promise<string> {
	await run({ userId, group: 'project', subcommand: 'create', options: { name } });
	for (const character of characters) {
		const id = nextVersion++;
		world.civitai.addModelVersion(modelVersion({ id, baseModel: 'SDXL 1.0', trainedWords: [`${character.toLowerCase()}_tw`], model: { name: character } }));
		const added = await run({ userId, group: 'character', subcommand: 'add', options: { project: name, model: String(id) } });
		expect(added.content).toContain('Added');
	}
	const project = await db.project.findFirstOrThrow({ where: { ownerId: userId, name } });
	return project.id;
}

/** Stores a finished panel directly: for lists that need more panels than drawing allows in a test. */
async function storePanel(
	projectId: string,
	ownerId: string,
	number: number,
	status: 'queued' | 'generating' | 'ready' | 'failed',
	characterId: string | null,
) {
	await db.panel.create({
		data: {
			projectId,
			ownerId,
			characterId,
			number,
			prompt: `stored panel ${number}`,
			enhance: false,
			drawings: {
				create: {
					ownerId,
					status,
					delivery: 'delivered',
					applicationId: world.discord.applicationId,
					interactionId: `9${String(number).padStart(17, '0')}`,
					interactionToken: 'stored',
					interactionCreatedAt: new Date(),
					channelId: '300000000000000001',
				},
			},
		},
	});
}

/** Polls an async check (a database query) until it gives a value. */
async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`until: nothing after ${timeoutMs} ms: ${check.toString()}`);
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

function buttonsOf(message: FakeMessage): { custom_id: string; label: string }[] {
	return message.components.flatMap((row) => {
		const components = typeof row === 'object' && row !== null ? Reflect.get(row, 'components') : undefined;
		return Array.isArray(components)
			? components.map((button) => ({ custom_id: String(Reflect.get(button, 'custom_id')), label: String(Reflect.get(button, 'label')) }))
			: [];
	});
}

test('project list shows only your own projects with their counts, and a friendly line when there are none', async () => {
	const empty = await run({ userId: '110000000000000001', group: 'project', subcommand: 'list' });
	expect(empty.ephemeral).toBe(true);
	expect(empty.content).toContain('no comic projects yet');
	expect(empty.content).toContain('/comic project create');

	await projectWithCharacters('110000000000000001', 'Harbor Tales', ['Ada', 'Bo']);
	await projectWithCharacters('110000000000000001', 'Moon Diary', []);
	await projectWithCharacters('110000000000000002', 'Not Yours', []);

	const list = await run({ userId: '110000000000000001', group: 'project', subcommand: 'list' });
	expect(list.ephemeral).toBe(true);
	expect(list.content).toContain('**Harbor Tales**: 2 characters, 0 panels');
	expect(list.content).toContain('**Moon Diary**: 0 characters, 0 panels');
	expect(list.content).not.toContain('Not Yours');
});

test('project show lists the characters and the panels in order with their state, and summarises a long project', async () => {
	const userId = '120000000000000001';
	const projectId = await projectWithCharacters(userId, 'Long Saga', ['Kai']);
	const drawn = world.discord.sendCommand({ userId, subcommand: 'panel', options: { project: 'Long Saga', prompt: 'kai waves', enhance: false } });
	await world.waitForOriginal(drawn.id, (message) => message.attachments.length === 1, 20_000);

	const small = embedOf(await run({ userId, group: 'project', subcommand: 'show', options: { project: 'long saga' } }));
	expect(small.title).toBe('Long Saga');
	expect(small.description).toContain('**Kai** · SDXL 1.0 · trigger words `kai_tw`');
	expect(small.description).toMatch(/`#1` ✅ ready · Kai · by <@\d+> · kai waves · \[open\]\(https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+\)/);

	const kai = await db.character.findFirstOrThrow({ where: { projectId } });
	const states = ['ready', 'failed', 'queued', 'generating'] as const;
	for (let number = 2; number <= 45; number++) await storePanel(projectId, userId, number, states[number % 4] ?? 'ready', kai.id);

	const reply = await run({ userId, group: 'project', subcommand: 'show', options: { project: projectId } });
	expect(reply.ephemeral).toBe(true);
	const description = String(embedOf(reply).description);
	expect(description.length).toBeLessThanOrEqual(4096);
	expect(description).toContain('**Panels** (45: 11 queued, 11 generating, 12 ready, 11 failed; the last');
	expect(description).toContain(`\`#45\` ❌ failed · Kai · by <@${userId}> · stored panel 45`);
	expect(description).toContain('`#44` ✅ ready');
	expect(description).toContain('`#43` 🎨 generating');
	expect(description).toContain('`#42` ⏳ queued');
	expect(description).not.toContain('`#1` ');
	// Oldest first: the comic reads top to bottom.
	expect(description.indexOf('`#30`')).toBeLessThan(description.indexOf('`#31`'));
});

test('deleting a project asks first, only its owner can confirm, and its unfinished workflows are canceled', async () => {
	const owner = '130000000000000001';
	const projectId = await projectWithCharacters(owner, 'Doomed', ['Zed']);
	const panels = [1, 2].map((n) =>
		world.discord.sendCommand({ userId: owner, subcommand: 'panel', options: { project: 'Doomed', prompt: `zed waits forever ${n}`, enhance: false } }),
	);
	await Promise.all(panels.map((panel) => world.discord.waitFor(() => world.discord.callbacks.get(panel.id))));
	const workflowIds = await until(async () => {
		const rows = await db.drawing.findMany({ where: { panel: { projectId }, status: 'generating' }, select: { workflowId: true } });
		return rows.length === 2 ? rows.map((row) => row.workflowId) : undefined;
	});

	const ask = await run({ userId: owner, group: 'project', subcommand: 'delete', options: { project: 'Doomed' } });
	expect(ask.ephemeral).toBe(true);
	expect(ask.content).toContain('Delete **Doomed** with its 1 character and 2 panels?');
	expect(buttonsOf(ask)).toEqual([
		{ custom_id: `project-delete:confirm:${projectId}`, label: 'Delete' },
		{ custom_id: `project-delete:cancel:${projectId}`, label: 'Cancel' },
	]);

	// Someone else pressing Delete is refused privately, and the confirmation stays as it was.
	const intruder = await pressButton(world, { customId: `project-delete:confirm:${projectId}`, messageId: ask.id, userId: '130000000000000002' });
	expect(intruder.callback.type).toBe(4);
	expect(intruder.callback.data).toMatchObject({ flags: 64, content: expect.stringContaining('Only the owner') });
	expect(await db.project.count({ where: { id: projectId } })).toBe(1);
	expect(buttonsOf(ask)).toHaveLength(2);

	// Cancel keeps everything.
	const cancel = await pressButton(world, { customId: `project-delete:cancel:${projectId}`, messageId: ask.id, userId: owner });
	expect(cancel.callback.type).toBe(7);
	expect(ask.content).toContain('Nothing was deleted');
	expect(ask.components).toEqual([]);
	expect(await db.panel.count({ where: { projectId } })).toBe(2);

	// One cancel call failing at the orchestrator does not stop the deletion.
	world.orchestrator.failNext({ method: 'PUT', path: /\/workflows\// }, { status: 500 });
	const again = await run({ userId: owner, group: 'project', subcommand: 'delete', options: { project: projectId } });
	const confirm = await pressButton(world, { customId: `project-delete:confirm:${projectId}`, messageId: again.id, userId: owner });
	expect(confirm.callback.type).toBe(7);
	expect(again.content).toContain('Deleted **Doomed**, its 1 character and 2 panels. 2 panels still being drawn were canceled.');
	expect(again.components).toEqual([]);
	expect(await db.project.count({ where: { id: projectId } })).toBe(0);
	expect(await db.character.count({ where: { projectId } })).toBe(0);
	expect(await db.panel.count({ where: { projectId } })).toBe(0);
	await world.discord.waitFor(
		() => world.orchestrator.requests.filter((request) => request.method === 'PUT' && request.status !== 0).length === 2 || undefined,
	);
	const cancelCalls = world.orchestrator.requests.filter((request) => request.method === 'PUT').map((request) => request.path.split('/').pop());
	expect(cancelCalls.sort()).toEqual([...workflowIds].sort());
	expect(world.orchestrator.cancellations).toHaveLength(1);
	await world.discord.waitFor(() => world.logs.some((line) => line.includes('could not cancel the workflow of a deleted project')) || undefined);

	// The first confirmation, pressed again, finds nothing to delete and says so.
	const late = await pressButton(world, { customId: `project-delete:confirm:${projectId}`, messageId: ask.id, userId: owner });
	expect(late.callback.type).toBe(7);
	expect(ask.content).toContain('no longer exists');
});

test('character list shows the details, and character remove keeps the panels without the character', async () => {
	const userId = '140000000000000001';
	const projectId = await projectWithCharacters(userId, 'Cast Party', ['Iris', 'Otto']);
	const iris = await db.character.findFirstOrThrow({ where: { projectId, name: 'Iris' } });
	await storePanel(projectId, userId, 1, 'ready', iris.id);
	await storePanel(projectId, userId, 2, 'failed', iris.id);

	const list = await run({ userId, group: 'character', subcommand: 'list', options: { project: 'Cast Party' } });
	expect(list.ephemeral).toBe(true);
	const description = String(embedOf(list).description);
	expect(embedOf(list).title).toBe('Characters of Cast Party (2)');
	expect(description).toContain('**Iris** · 2 panels');
	expect(description).toContain('**Otto** · 0 panels');
	expect(description).toContain('LORA · SDXL 1.0');
	expect(description).toContain('`iris_tw`');

	const removed = await run({ userId, group: 'character', subcommand: 'remove', options: { project: projectId, character: 'iris' } });
	expect(removed.ephemeral).toBe(true);
	expect(removed.content).toBe('Removed **Iris** from **Cast Party**. Its 2 panels stay in the project.');
	expect(await db.character.count({ where: { projectId } })).toBe(1);
	expect(await db.panel.findMany({ where: { projectId }, select: { characterId: true } })).toEqual([{ characterId: null }, { characterId: null }]);

	const show = embedOf(await run({ userId, group: 'project', subcommand: 'show', options: { project: 'Cast Party' } }));
	expect(show.description).toContain('`#1` ✅ ready · (character removed)');

	const emptyList = await run({ userId, group: 'character', subcommand: 'remove', options: { project: 'Cast Party', character: 'Otto' } });
	expect(emptyList.content).toBe('Removed **Otto** from **Cast Party**.');
	const none = await run({ userId, group: 'character', subcommand: 'list', options: { project: 'Cast Party' } });
	expect(none.content).toContain('has no characters yet');
});

test('autocomplete offers only your own projects, at most 25, matching what was typed', async () => {
	const userId = '150000000000000001';
	const names = Array.from({ length: 28 }, (_, index) => (index % 3 === 0 ? `Dragon Tale ${index}` : `Comic ${index}`));
	await Promise.all(names.map((name) => run({ userId, group: 'project', subcommand: 'create', options: { name } })));
	await run({ userId: '150000000000000002', group: 'project', subcommand: 'create', options: { name: 'Dragon Tale of Someone Else' } });

	const started = Date.now();
	const all = await autocompleteChoices(world, { userId, group: 'project', subcommand: 'show', focused: 'project' });
	expect(Date.now() - started).toBeLessThan(3_000);
	expect(all).toHaveLength(25);
	const mine = new Map((await db.project.findMany({ where: { ownerId: userId } })).map((project) => [project.id, project.name]));
	for (const choice of all) expect(mine.get(choice.value)).toBe(choice.name);

	const dragons = await autocompleteChoices(world, { userId, group: 'project', subcommand: 'delete', focused: 'project', options: { project: 'DRAGON' } });
	expect(dragons.map((choice) => choice.name).sort()).toEqual(names.filter((name) => name.startsWith('Dragon')).sort());

	// `%` and `_` are what the user typed, not SQL wildcards.
	await run({ userId, group: 'project', subcommand: 'create', options: { name: '100% Dragon' } });
	const percent = await autocompleteChoices(world, { userId, group: 'project', subcommand: 'show', focused: 'project', options: { project: '0%' } });
	expect(percent.map((choice) => choice.name)).toEqual(['100% Dragon']);

	const stranger = await autocompleteChoices(world, { userId: '150000000000000003', subcommand: 'panel', focused: 'project', options: { project: 'dragon' } });
	expect(stranger).toEqual([]);
});

test('character autocomplete offers the characters of the project typed, by id or by name, and only your own', async () => {
	const userId = '160000000000000001';
	const projectId = await projectWithCharacters(userId, 'Ensemble', ['Nia', 'Nico', 'Vera']);

	const byName = await autocompleteChoices(world, { userId, subcommand: 'panel', focused: 'character', options: { project: 'ensemble', character: 'ni' } });
	expect(byName.map((choice) => choice.name)).toEqual(['Nia', 'Nico']);
	const byId = await autocompleteChoices(world, { userId, group: 'character', subcommand: 'remove', focused: 'character', options: { project: projectId } });
	expect(byId.map((choice) => choice.name)).toEqual(['Nia', 'Nico', 'Vera']);
	const vera = await db.character.findFirstOrThrow({ where: { projectId, name: 'Vera' } });
	expect(byId[2]?.value).toBe(vera.id);

	const stranger = await autocompleteChoices(world, {
		userId: '160000000000000002',
		subcommand: 'panel',
		focused: 'character',
		options: { project: projectId },
	});
	expect(stranger).toEqual([]);
	const noProject = await autocompleteChoices(world, { userId, subcommand: 'panel', focused: 'character' });
	expect(noProject).toEqual([]);
});

test('another user can neither see, change nor draw in your project', async () => {
	const owner = '170000000000000001';
	const other = '170000000000000002';
	const projectId = await projectWithCharacters(owner, 'Private Diary', ['Lu']);
	const lu = await db.character.findFirstOrThrow({ where: { projectId } });
	const version = nextVersion++;
	world.civitai.addModelVersion(modelVersion({ id: version, model: { name: 'Intruder' } }));
	const before = { projects: await db.project.count(), characters: await db.character.count(), panels: await db.panel.count() };

	const attempts: CommandInput[] = [
		{ group: 'project', subcommand: 'show', options: { project: projectId } },
		{ group: 'project', subcommand: 'delete', options: { project: projectId } },
		{ group: 'character', subcommand: 'add', options: { project: projectId, model: String(version) } },
		{ group: 'character', subcommand: 'list', options: { project: projectId } },
		{ group: 'character', subcommand: 'remove', options: { project: projectId, character: lu.id } },
		{ subcommand: 'panel', options: { project: projectId, prompt: 'lu reads' } },
	];
	for (const attempt of attempts) {
		const reply = await run({ ...attempt, userId: other });
		expect(reply.ephemeral, JSON.stringify(attempt)).toBe(true);
		expect(reply.content, JSON.stringify(attempt)).toContain('belongs to someone else');
	}
	// By name, another user's project simply does not exist for them.
	const byName = await run({ userId: other, group: 'project', subcommand: 'show', options: { project: 'Private Diary' } });
	expect(byName.content).toContain('You have no project named **Private Diary**');
	const list = await run({ userId: other, group: 'project', subcommand: 'list' });
	expect(list.content).not.toContain('Private Diary');

	expect({ projects: await db.project.count(), characters: await db.character.count(), panels: await db.panel.count() }).toEqual(before);
	expect(world.orchestrator.submissions.some((submission) => JSON.stringify(submission.body).includes('lu reads'))).toBe(false);
});

test('names with @everyone or a user mention ping nobody, in any message the bot sends', async () => {
	const userId = '180000000000000001';
	const name = '@everyone <@123456789012345678> party';
	const since = world.discord.requests.length;
	const projectId = await projectWithCharacters(userId, name, ['<@&222222222222222222> hero']);
	await run({ userId, group: 'project', subcommand: 'list' });
	await run({ userId, group: 'project', subcommand: 'show', options: { project: projectId } });
	await run({ userId, group: 'character', subcommand: 'list', options: { project: projectId } });
	await run({ userId, group: 'project', subcommand: 'create', options: { name } });
	const ask = await run({ userId, group: 'project', subcommand: 'delete', options: { project: projectId } });
	expect(ask.content).not.toContain('@everyone');
	await pressButton(world, { customId: `project-delete:confirm:${projectId}`, messageId: ask.id, userId });

	const writes = world.discord.requests.slice(since).flatMap((request) => {
		if (request.method === 'POST' && request.path.endsWith('/callback')) {
			const body = request.json;
			const type = typeof body === 'object' && body !== null ? Reflect.get(body, 'type') : undefined;
			// Deferrals (5) and autocomplete answers (8) carry no message.
			return type === 4 || type === 7 ? [Reflect.get(body ?? {}, 'data')] : [];
		}
		return ['PATCH', 'POST'].includes(request.method) && /messages|webhooks/.test(request.path) ? [request.json] : [];
	});
	expect(writes.length).toBeGreaterThanOrEqual(8);
	for (const body of writes) expect(typeof body === 'object' && body !== null ? Reflect.get(body, 'allowed_mentions') : body).toEqual(NO_PINGS);
});

test('a form the bot no longer knows says so privately instead of failing silently', async () => {
	for (const customId of ['old-form:1', 'project-delete:confirm:0b5e8f4e-6a8c-4d5b-9a51-3c2f6d1e7a90']) {
		const sent = world.discord.sendModalSubmit({ customId, fields: { prompt: 'a cat' }, userId: '190000000000000001' });
		const callback = await world.discord.waitFor(() => world.discord.callbacks.get(sent.id)?.[0], 15_000);
		expect(callback.type).toBe(4);
		expect(callback.data).toMatchObject({ flags: 64, content: expect.stringContaining('form no longer works') });
	}
});

test('a button the bot no longer knows says so privately instead of failing silently', async () => {
	const message = await run({ userId: '190000000000000001', group: 'project', subcommand: 'list' });
	for (const customId of ['old-feature:1', 'project-delete:explode:123']) {
		const press = await pressButton(world, { customId, messageId: message.id, userId: '190000000000000001' });
		expect(press.callback.type).toBe(4);
		expect(press.callback.data).toMatchObject({ flags: 64, content: expect.stringContaining('no longer works') });
	}
});
