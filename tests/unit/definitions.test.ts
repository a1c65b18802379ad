import { expect, test } from 'vitest';
import { comicGlobalCommand, comicGuildCommand, findDefinition } from '../../commands/definitions/comic.ts';
import { subcommands } from '../../commands/index.ts';

/** Every `group name` (or `name`) of `/comic`, read from the definitions as Discord receives them. */
function definedPaths(): string[] {
	return (comicGuildCommand.options ?? []).flatMap((option) =>
		option.type === 2 ? (option.options ?? []).map((sub) => `${option.name} ${sub.name}`) : [option.name],
	);
}

test('every defined subcommand has a handler, and every handler a definition', () => {
	const handled = subcommands.map((command) => (command.group ? `${command.group} ${command.name}` : command.name));
	expect(handled.sort()).toEqual(definedPaths().sort());
	for (const command of subcommands) expect(findDefinition(command.group ?? null, command.name)?.name).toBe(command.name);
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
		'export',
		'read',
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
	]);
	expect(findDefinition(null, 'usage')?.options).toEqual([expect.objectContaining({ name: 'user', type: 6, required: false })]);
	for (const name of ['link', 'status', 'unlink']) expect(findDefinition('account', name)?.options).toBeUndefined();
	expect(comicGuildCommand.options?.find((option) => option.name === 'account')?.description).toBeTruthy();
});
