import { expect, test } from 'vitest';
import { comicGlobalCommand, comicGuildCommand, findDefinition } from '../../commands/definitions/comic.ts';
import { findSubcommand, subcommands } from '../../commands/index.ts';

/** Every `group name` (or `name`) of `/comic`, read from the definitions as Discord receives them. */
function definedPaths(): string[] {
	return (comicGuildCommand.options ?? []).flatMap((option) =>
		option.type === 2 ? (option.options ?? []).map((sub) => `${option.name} ${sub.name}`) : [option.name],
	);
}

test('every defined subcommand has one handler holding that very definition, and every handler a definition', () => {
	const defined = definedPaths().map((path) => {
		const [first = '', second] = path.split(' ');
		return second === undefined ? findDefinition(null, first) : findDefinition(first, second);
	});
	expect(defined).not.toContain(undefined);
	for (const definition of defined) expect(subcommands.filter((command) => command.definition === definition)).toHaveLength(1);
	expect(subcommands).toHaveLength(defined.length);
	for (const definition of defined) if (definition) expect(findSubcommand(definition)?.definition).toBe(definition);
});

test('a subcommand this version does not define is not found', () => {
	expect(findDefinition('project', 'rename')).toBeUndefined();
	expect(findDefinition(null, 'create')).toBeUndefined();
	expect(findDefinition('panel', 'panel')).toBeUndefined();
});

test('the definitions are plain JSON: what is sent is what is declared', () => {
	expect(JSON.parse(JSON.stringify(comicGlobalCommand))).toEqual(comicGlobalCommand);
	expect(definedPaths()).toEqual([
		'project create',
		'project list',
		'project show',
		'project edit',
		'project delete',
		'character add',
		'character pictures',
		'character list',
		'character remove',
		'panel',
		'story',
		'panels text',
		'panels move',
		'panels delete',
		'members add',
		'members remove',
		'members list',
		'export',
		'read',
		'publish',
		'account link',
		'account status',
		'account unlink',
		'settings',
		'usage',
	]);
});

test('the settings and usage options are the contract’s: names, types and ranges', () => {
	expect(findDefinition(null, 'settings')?.options).toEqual([
		expect.objectContaining({ name: 'shared_key', type: 5 }),
		expect.objectContaining({ name: 'server_daily_limit', type: 4, min_value: 0, max_value: 10_000 }),
		expect.objectContaining({ name: 'user_daily_limit', type: 4, min_value: 1, max_value: 1_000 }),
		expect.objectContaining({ name: 'enhance_default', type: 5 }),
		expect.objectContaining({ name: 'user_daily_buzz', type: 4, min_value: 0 }),
		expect.objectContaining({ name: 'server_daily_buzz', type: 4, min_value: 0 }),
		expect.objectContaining({ name: 'confirm_above', type: 4, min_value: 0, max_value: 100_000 }),
		expect.objectContaining({ name: 'comic_role', type: 8, required: false }),
		expect.objectContaining({ name: 'clear_comic_role', type: 5, required: false }),
	]);
	expect(findDefinition(null, 'usage')?.options).toEqual([expect.objectContaining({ name: 'user', type: 6, required: false })]);
	for (const name of ['link', 'status', 'unlink']) expect(findDefinition('account', name)?.options).toBeUndefined();
	expect(comicGuildCommand.options?.find((option) => option.name === 'account')?.description).toBeTruthy();
});

test('the third round picture options are the contract’s: image, image2–image4 (attachments), description; model optional; project edit engine choices', () => {
	const add = findDefinition('character', 'add')?.options ?? [];
	expect(add.find((option) => option.name === 'model')?.required).toBe(false);
	for (const name of ['image', 'image2', 'image3', 'image4']) expect(add.find((option) => option.name === name)).toMatchObject({ type: 11, required: false });
	expect(add.find((option) => option.name === 'description')).toMatchObject({ type: 3, max_length: 300 });
	const pictures = findDefinition('character', 'pictures')?.options ?? [];
	expect(pictures.map((option) => option.name)).toEqual(['project', 'character', 'image', 'image2', 'image3', 'image4']);
	expect(pictures.find((option) => option.name === 'image')).toMatchObject({ type: 11, required: true });
	const edit = findDefinition('project', 'edit')?.options ?? [];
	expect(edit.map((option) => option.name)).toEqual(['project', 'name', 'description', 'engine', 'reading']);
	const reading = edit.find((option) => option.name === 'reading');
	expect(reading && 'choices' in reading ? reading.choices?.map((choice) => choice.value) : []).toEqual(['ltr', 'rtl']);
	const engine = edit.find((option) => option.name === 'engine');
	expect(engine && 'choices' in engine ? engine.choices?.map((choice) => choice.value) : []).toEqual([
		'auto',
		'nano-banana-2',
		'nano-banana-pro',
		'seedream',
		'flux2',
		'qwen',
	]);
});

test('the members options are the contract’s: add project user role(editor|viewer), remove project user, list project; project create server', () => {
	expect(findDefinition('members', 'add')?.options).toEqual([
		expect.objectContaining({ name: 'project', type: 3, required: true, autocomplete: true }),
		expect.objectContaining({ name: 'user', type: 6, required: true }),
		expect.objectContaining({
			name: 'role',
			type: 3,
			required: false,
			choices: [
				{ name: 'editor', value: 'editor' },
				{ name: 'viewer', value: 'viewer' },
			],
		}),
	]);
	expect(findDefinition('members', 'remove')?.options).toEqual([
		expect.objectContaining({ name: 'project', type: 3, required: true }),
		expect.objectContaining({ name: 'user', type: 6, required: true }),
	]);
	expect(findDefinition('members', 'list')?.options).toEqual([expect.objectContaining({ name: 'project', type: 3, required: true })]);
	expect(findDefinition('project', 'create')?.options?.find((option) => option.name === 'server')).toMatchObject({ type: 5, required: false });
});

test('publish takes the contract’s options: project, a channel option offering forum, media and text channels, an optional panels range', () => {
	expect(findDefinition(null, 'publish')?.options).toEqual([
		expect.objectContaining({ name: 'project', type: 3, required: true, autocomplete: true }),
		expect.objectContaining({ name: 'channel', type: 7, required: true, channel_types: [15, 16, 0] }),
		expect.objectContaining({ name: 'panels', type: 3, required: false }),
	]);
});
