// `@Name` puts characters of the project in a panel: every LoRA with its strength, every trigger word first.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startWorld, type World } from '../world.ts';
import { answerOf, buttonsOf, press, textOf } from './support/actions.ts';
import { projectWithCast } from './support/cast.ts';
import { submittedInput, waitForPanel } from './support/panels.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld({ MAX_PANELS_IN_FLIGHT_PER_USER: '5' });
});
afterAll(async () => {
	await world?.close();
});

function draw(userId: string, project: string, prompt: string, extra: Record<string, string | boolean> = {}) {
	return world.discord.sendCommand({ userId, subcommand: 'panel', options: { project, prompt, enhance: false, ...extra } });
}

async function inputOf(interactionId: string): Promise<Record<string, unknown>> {
	const drawing = await waitForPanel(world, interactionId, (panel) => panel.workflowId !== null);
	const workflow = world.orchestrator.workflows.get(drawing.workflowId ?? '');
	return submittedInput(workflow?.body);
}

test('two mentioned characters: both LoRAs with their strengths, both trigger words first, no @ sent', async () => {
	const cast = await projectWithCast(world, [
		{ name: 'Nova', word: 'novachar', strength: 0.8 },
		{ name: 'Mary Jane', word: 'mjchar' },
		{ name: 'Mary', word: 'marychar' },
	]);
	const [nova, mj] = cast.members;
	const sent = draw(cast.userId, cast.project, '@nova hands a map to @Mary Jane, then @Ghost waves.');
	const input = await inputOf(sent.id);
	expect(input.additionalNetworks).toEqual({ [nova?.air ?? '']: { strength: 0.8 }, [mj?.air ?? '']: { strength: 1 } });
	expect(input.prompt).toBe('novachar, mjchar, nova hands a map to Mary Jane, then @Ghost waves.');
	// Stored in order, so redraws and Details use them.
	const drawing = await waitForPanel(world, sent.id, () => true);
	const rows = await world.bot.database.db.panelCharacter.findMany({
		where: { panelId: drawing.panelId },
		orderBy: { position: 'asc' },
		include: { character: true },
	});
	expect(rows.map((row) => row.character.name)).toEqual(['Nova', 'Mary Jane']);
});

test('three characters, one of them from the character option; names with an apostrophe or a hyphen', async () => {
	const cast = await projectWithCast(world, [
		{ name: "O'Neil", word: 'oneilchar', strength: 1.5 },
		{ name: 'Jean-Luc', word: 'jlchar' },
		{ name: 'Rex', word: 'rexchar' },
	]);
	const [oneil, jean, rex] = cast.members;
	const sent = draw(cast.userId, cast.project, "@o'neil and @Jean-Luc, on the bridge!", { character: 'Rex' });
	const input = await inputOf(sent.id);
	expect(input.additionalNetworks).toEqual({
		[oneil?.air ?? '']: { strength: 1.5 },
		[jean?.air ?? '']: { strength: 1 },
		[rex?.air ?? '']: { strength: 1 },
	});
	expect(String(input.prompt).startsWith('oneilchar, jlchar, rexchar, ')).toBe(true);
});

test('characters of different base-model groups are refused, naming both groups; four are refused too', async () => {
	const cast = await projectWithCast(world, [
		{ name: 'Ann', word: 'annchar' },
		{ name: 'Pip', word: 'pipchar', baseModel: 'Pony' },
		{ name: 'Bo', word: 'bochar' },
		{ name: 'Cy', word: 'cychar' },
		{ name: 'Di', word: 'dichar' },
	]);
	const before = world.orchestrator.submissions.length;
	const mixed = await world.command({
		userId: cast.userId,
		subcommand: 'panel',
		options: { project: cast.project, prompt: '@Ann meets @Pip', enhance: false },
	});
	expect(mixed.reply.ephemeral).toBe(true);
	expect(mixed.reply.content).toContain('SDXL');
	expect(mixed.reply.content).toContain('Pony');
	const four = await world.command({
		userId: cast.userId,
		subcommand: 'panel',
		options: { project: cast.project, prompt: '@Ann, @Bo, @Cy and @Di', enhance: false },
	});
	expect(four.reply.content).toContain('at most 3 characters');
	expect(world.orchestrator.submissions.length).toBe(before);
});

test('with several characters and none named, the user is asked to choose; a mention of no character is plain text', async () => {
	const cast = await projectWithCast(world, [
		{ name: 'Lia', word: 'liachar' },
		{ name: 'Max', word: 'maxchar' },
	]);
	const sent = await world.command({ userId: cast.userId, subcommand: 'panel', options: { project: cast.project, prompt: 'someone @nobody', enhance: false } });
	expect(sent.reply.ephemeral).toBe(true);
	expect(sent.reply.content).toContain('several characters');
});

test('a Redraw of a panel of two characters keeps both LoRAs; Details lists each character with its strength', async () => {
	const cast = await projectWithCast(world, [
		{ name: 'Nova', word: 'novachar', strength: 0.7 },
		{ name: 'Rex', word: 'rexchar', strength: 1.3 },
	]);
	const [nova, rex] = cast.members;
	const sent = draw(cast.userId, cast.project, '@Nova and @Rex on the roof');
	const message = await world.waitForOriginal(sent.id, (original) => original.attachments.length === 1 && buttonsOf(original).length > 0, 20_000);
	const details = await press(world, message, 'Details', cast.userId);
	const shown = textOf(await answerOf(world, details.id));
	expect(shown).toContain('**Nova** at strength 0.7');
	expect(shown).toContain('**Rex** at strength 1.3');
	const redraw = await press(world, message, 'Redraw', cast.userId);
	const input = await inputOf(redraw.id);
	expect(input.additionalNetworks).toEqual({ [nova?.air ?? '']: { strength: 0.7 }, [rex?.air ?? '']: { strength: 1.3 } });
	expect(String(input.prompt).startsWith('novachar, rexchar, ')).toBe(true);
});
