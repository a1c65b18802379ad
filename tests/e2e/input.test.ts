import { afterAll, beforeAll, expect, test } from 'vitest';
import { modelVersion } from '../fakes/civitai.ts';
import type { CommandInput } from '../fakes/discord.ts';
import { startWorld, type World } from '../world.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world?.close();
});

async function rows() {
	const db = world.bot.database.db;
	return { projects: await db.project.count(), characters: await db.character.count(), panels: await db.panel.count() };
}

/**
 * Sends a command that must be refused: the answer is private, fits in a Discord message, and
 * nothing was stored. Returns what the user was told.
 */
async function refused(input: CommandInput): Promise<string> {
	const before = await rows();
	const { id } = await world.command(input);
	const reply = await world.waitForOriginal(id, (message) => message.content !== '');
	expect(reply.ephemeral, reply.content).toBe(true);
	expect(reply.content.length).toBeLessThanOrEqual(2000);
	expect(reply.content).not.toMatch(/reference/);
	expect(await rows()).toEqual(before);
	return reply.content;
}

async function createProject(userId: string, name: string): Promise<void> {
	const { reply } = await world.command({ userId, group: 'project', subcommand: 'create', options: { name } });
	expect(reply.content).toContain('Created');
}

async function addCharacter(userId: string, project: string, versionId: number, name: string): Promise<void> {
	world.civitai.addModelVersion(modelVersion({ id: versionId, model: { name } }));
	const { id } = await world.command({ userId, group: 'character', subcommand: 'add', options: { project, model: String(versionId) } });
	await world.waitForOriginal(id, (message) => message.content.includes('Added'));
}

test('a project name or description that is empty, blank or too long is refused, saying the limit', async () => {
	const userId = '210000000000000001';
	const project = (options: CommandInput['options']) => refused({ userId, group: 'project', subcommand: 'create', options });
	expect(await project({ name: '' })).toContain('`name` option is empty');
	expect(await project({ name: '   \t ' })).toContain('`name` option is empty');
	expect(await project({ name: 'x'.repeat(101) })).toContain('101 characters long; the limit is 100');
	expect(await project({ name: 'Fine', description: 'y'.repeat(1001) })).toContain('1001 characters long; the limit is 1000');
	expect(await project({ name: 'Fine', description: '  ' })).toContain('`description` option is empty');
	// A huge value cannot push the refusal past Discord's 2000 characters either.
	expect(await project({ name: 'z'.repeat(5000) })).toContain('the limit is 100');
	// Discord's app sends required options, another client may not.
	expect(await refused({ userId, group: 'project', subcommand: 'show' })).toContain('`project` option is missing');
});

test('a blank or too long prompt, character name or model reference is refused before anything is looked up', async () => {
	const userId = '220000000000000001';
	await createProject(userId, 'Prompt Checks');
	await addCharacter(userId, 'Prompt Checks', 920_001, 'Pia');
	const civitaiCalls = world.civitai.requests.length;

	expect(await refused({ userId, subcommand: 'panel', options: { project: 'Prompt Checks', prompt: '   ' } })).toContain('`prompt` option is empty');
	expect(await refused({ userId, subcommand: 'panel', options: { project: 'Prompt Checks', prompt: 'p'.repeat(1001) } })).toContain('the limit is 1000');
	const add = (options: CommandInput['options']) => refused({ userId, group: 'character', subcommand: 'add', options });
	expect(await add({ project: 'Prompt Checks', model: '920001', name: ' ' })).toContain('`name` option is empty');
	expect(await add({ project: 'Prompt Checks', model: '920001', name: 'n'.repeat(101) })).toContain('the limit is 100');
	expect(await add({ project: 'Prompt Checks', model: '9'.repeat(301) })).toContain('the limit is 300');
	expect(await add({ project: '  ', model: '920001' })).toContain('`project` option is empty');
	expect(world.civitai.requests.length).toBe(civitaiCalls);
	expect(world.orchestrator.submissions).toHaveLength(0);
});

test('a model reference that is neither an id, a page URL nor an AIR is refused with examples of each', async () => {
	const userId = '230000000000000001';
	await createProject(userId, 'Bad Refs');
	for (const model of ['my favourite lora', 'https://example.com/models/123?modelVersionId=456', 'urn:air:sdxl:lora:huggingface:1@2', '-5']) {
		const told = await refused({ userId, group: 'character', subcommand: 'add', options: { project: 'Bad Refs', model } });
		expect(told).toContain("can't read");
		expect(told).toContain('modelVersionId=');
		expect(told).toContain('urn:air:');
	}
});

test('Civitai answering 404, 400 or 5xx is explained, and nothing is stored', async () => {
	const userId = '240000000000000001';
	await createProject(userId, 'Civitai Trouble');
	const add = (model: string) => refused({ userId, group: 'character', subcommand: 'add', options: { project: 'Civitai Trouble', model } });

	expect(await add('930404')).toContain('model version 930404 was not found');
	expect(await add('https://civitai.com/models/930405/some-model')).toContain('model 930405 was not found');
	world.civitai.addModelVersion(modelVersion({ id: 930400 }));
	world.civitai.failNext({ path: /\/model-versions\/930400$/ }, { status: 400 });
	expect(await add('930400')).toContain('refused model version 930400');
	world.civitai.failNext({ path: /\/model-versions\/930400$/ }, { status: 503 });
	expect(await add('930400')).toContain('Civitai is not answering right now');
	world.civitai.failNext({ path: /\/model-versions\/930400$/ }, { status: 500 });
	expect(await add('urn:air:sdxl:lora:civitai:1@930400')).toContain('try again in a minute');
});

test('Civitai taking longer than the lookup timeout is explained as Civitai not answering', async () => {
	const userId = '250000000000000001';
	await createProject(userId, 'Slow Civitai');
	world.civitai.addModelVersion(modelVersion({ id: 940001 }));
	world.civitai.stallNext({ path: /\/model-versions\/940001$/ }, 12_000);
	const told = await refused({ userId, group: 'character', subcommand: 'add', options: { project: 'Slow Civitai', model: '940001' } });
	expect(told).toContain('Civitai is not answering right now');
}, 20_000);

test('a model that is not a LoRA, made for an unsupported base model, or of a real person is refused and named', async () => {
	const userId = '260000000000000001';
	await createProject(userId, 'Wrong Models');
	world.civitai.addModelVersion(modelVersion({ id: 950001, model: { name: 'DreamShaper', type: 'Checkpoint' } }));
	world.civitai.addModelVersion(modelVersion({ id: 950002, baseModel: 'SD 3', model: { name: 'Three' } }));
	world.civitai.addModelVersion(modelVersion({ id: 950003, model: { name: 'Famous Actor', poi: true } }));
	world.civitai.addModelVersion(modelVersion({ id: 950004, model: { name: 'Locon Girl', type: 'LoCon' } }));
	const add = (model: string) => refused({ userId, group: 'character', subcommand: 'add', options: { project: 'Wrong Models', model } });

	const checkpoint = await add('950001');
	expect(checkpoint).toContain('**Checkpoint**');
	expect(checkpoint).toContain('LORA, LoCon or DoRA');
	expect(await add('950002')).toContain('**SD 3**');
	expect(await add('950003')).toContain('real person');

	// LoCon is one of the accepted types.
	const { id } = await world.command({ userId, group: 'character', subcommand: 'add', options: { project: 'Wrong Models', model: '950004' } });
	expect((await world.waitForOriginal(id, (message) => message.content !== '')).content).toContain('Added **Locon Girl**');
});

test('a duplicate project or character name is refused with "already exists"', async () => {
	const userId = '270000000000000001';
	await createProject(userId, 'Twice');
	expect(await refused({ userId, group: 'project', subcommand: 'create', options: { name: '  twice ' } })).toContain('already exists');
	// Another user may use the same name.
	await createProject('270000000000000002', 'Twice');

	await addCharacter(userId, 'Twice', 960_001, 'Echo');
	world.civitai.addModelVersion(modelVersion({ id: 960002, model: { name: 'Echo' } }));
	const add = (options: CommandInput['options']) => refused({ userId, group: 'character', subcommand: 'add', options });
	expect(await add({ project: 'Twice', model: '960002' })).toContain('already exists');
	expect(await add({ project: 'Twice', model: '960002', name: 'ECHO' })).toContain('already exists');
});

test('an unknown project or character is refused, saying where to find the right one', async () => {
	const userId = '280000000000000001';
	await createProject(userId, 'Known');
	await addCharacter(userId, 'Known', 970_001, 'Real');

	const unknownProjects: CommandInput[] = [
		{ group: 'project', subcommand: 'show', options: { project: 'Unknown' } },
		{ group: 'project', subcommand: 'delete', options: { project: 'Unknown' } },
		{ group: 'character', subcommand: 'list', options: { project: 'Unknown' } },
		{ group: 'character', subcommand: 'add', options: { project: 'Unknown', model: '970001' } },
		{ subcommand: 'panel', options: { project: 'Unknown', prompt: 'hello' } },
	];
	for (const input of unknownProjects) {
		const told = await refused({ ...input, userId });
		expect(told).toContain('You have no project named **Unknown**');
		expect(told).toContain('/comic project list');
	}
	const removal = await refused({ userId, group: 'character', subcommand: 'remove', options: { project: 'Known', character: 'Ghost' } });
	expect(removal).toContain('has no character named **Ghost**');
	expect(removal).toContain('/comic character list');
	const panel = await refused({ userId, subcommand: 'panel', options: { project: 'Known', character: 'Ghost', prompt: 'hello' } });
	expect(panel).toContain('has no character named **Ghost**');
});

test('a panel in a project without characters, or with several and none chosen, asks for a character', async () => {
	const userId = '290000000000000001';
	await createProject(userId, 'Empty Stage');
	expect(await refused({ userId, subcommand: 'panel', options: { project: 'Empty Stage', prompt: 'nobody here' } })).toContain('/comic character add');

	await addCharacter(userId, 'Empty Stage', 980_001, 'Ann');
	await addCharacter(userId, 'Empty Stage', 980_002, 'Ben');
	expect(await refused({ userId, subcommand: 'panel', options: { project: 'Empty Stage', prompt: 'who is it' } })).toContain(
		'choose one with the `character` option',
	);
	expect(world.orchestrator.submissions).toHaveLength(0);
});
