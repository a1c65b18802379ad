// Picture files have a lifecycle: removed with their panel or project, a lettered file replaced by the
// next words is removed, and a sweep removes old files no row points at. Prints the storage figures.
import { randomUUID } from 'node:crypto';
import { readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { pressButton, startWorld, type World } from '../world.ts';
import { drawRealPictures, readyPanel } from './support/comic.ts';
import { projectWithCharacter } from './support/panels.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld({ MAX_PANELS_IN_FLIGHT_PER_USER: '20' });
	await drawRealPictures(world);
});
afterAll(async () => {
	await world?.close();
});

const folder = () => join(world.config.DATA_DIR, 'panels');
async function files(): Promise<Map<string, number>> {
	const names = await readdir(folder()).catch(() => []);
	const sizes = new Map<string, number>();
	for (const name of names) sizes.set(name, (await stat(join(folder(), name))).size);
	return sizes;
}
const sum = (sizes: Map<string, number>) => [...sizes.values()].reduce((total, size) => total + size, 0);

test('new words replace the lettered file: the folder does not grow with each change of words', async () => {
	const setup = await projectWithCharacter(world);
	await readyPanel(world, setup, 'a harbour at night', { caption: 'The first night.' });
	const take = await world.bot.database.db.take.findFirstOrThrow({ where: { panel: { ownerId: setup.userId } } });
	const before = await files();
	expect(before.has(take.letteredPath ?? '')).toBe(true);
	const written: number[] = [];
	const counts: number[] = [];
	for (const caption of ['The second night.', 'The third night.', 'The fourth night.']) {
		const seen = await files();
		const text = await world.command({ userId: setup.userId, group: 'panels', subcommand: 'text', options: { project: setup.project, panel: 1, caption } });
		await world.waitForOriginal(text.id, (message) => message.content.includes('New words'));
		const now = await files();
		written.push([...now].filter(([name]) => !seen.has(name)).reduce((total, [, size]) => total + size, 0));
		counts.push(now.size);
	}
	const after = await files();
	console.log(
		`storage: each change of words writes ${written.map((bytes) => `${(bytes / 1e6).toFixed(2)} MB`).join(', ')} (one lettered PNG per take); over three changes the folder grows by ${((sum(after) - sum(before)) / 1e6).toFixed(2)} MB`,
	);
	// One lettered file per take, the one for the current words: the one before it is gone each time.
	expect(counts).toEqual([before.size, before.size, before.size]);
	const row = await world.bot.database.db.take.findUniqueOrThrow({ where: { id: take.id } });
	expect(after.has(row.letteredPath ?? '')).toBe(true);
	expect(after.has(take.imagePath)).toBe(true);
});

test('deleting a panel removes its files; deleting a 20-panel project leaves none of its files', async () => {
	const setup = await projectWithCharacter(world);
	const sent = Array.from({ length: 20 }, (_, i) =>
		world.discord.sendCommand({
			userId: setup.userId,
			subcommand: 'panel',
			options: { project: setup.project, prompt: `scene ${i + 1}`, enhance: false, caption: `Part ${i + 1}.` },
		}),
	);
	await Promise.all(sent.map((each) => world.waitForOriginal(each.id, (message) => message.attachments.length === 1, 60_000)));
	const db = world.bot.database.db;
	const takes = await db.take.findMany({ where: { panel: { ownerId: setup.userId } }, include: { panel: { select: { number: true, projectId: true } } } });
	const namesOf = (rows: typeof takes) => rows.flatMap((row) => [row.imagePath, row.letteredPath ?? '']).filter((name) => name !== '');
	const all = namesOf(takes);
	expect(all).toHaveLength(40);
	const present = await files();
	expect(all.every((name) => present.has(name))).toBe(true);

	// `/comic panels delete` of panel 20: its plain and lettered files go.
	const asked = await world.command({ userId: setup.userId, group: 'panels', subcommand: 'delete', options: { project: setup.project, panel: 20 } });
	const rows = asked.reply.components as { components: { custom_id: string; label: string }[] }[];
	const confirm = rows[0]?.components.find((button) => button.label === 'Delete')?.custom_id ?? '';
	await pressButton(world, { customId: confirm, messageId: asked.reply.id, userId: setup.userId });
	const twentieth = namesOf(takes.filter((take) => take.panel.number === 20));
	await world.discord.waitFor(async () => {
		const now = await files();
		return twentieth.every((name) => !now.has(name)) || undefined;
	});

	const projectId = takes[0]?.panel.projectId ?? '';
	const ask = await world.command({ userId: setup.userId, group: 'project', subcommand: 'delete', options: { project: setup.project } });
	const pressed = await pressButton(world, { customId: `project-delete:confirm:${projectId}`, messageId: ask.reply.id, userId: setup.userId });
	expect(pressed.callback.type).toBe(7);
	const bytes = all.reduce((total, name) => total + (present.get(name) ?? 0), 0);
	const left = await world.discord
		.waitFor(async () => {
			if ((await db.project.count({ where: { id: projectId } })) > 0) return undefined;
			const now = await files();
			return all.every((name) => !now.has(name)) || undefined;
		})
		.catch(() => false);
	const now = await files();
	const remaining = all.filter((name) => now.has(name));
	console.log(`storage: files left after deleting a 20-panel project (${all.length} files, ${(bytes / 1e6).toFixed(1)} MB): ${remaining.length}`);
	expect(left).toBe(true);
	expect(remaining).toEqual([]);
});

test('the sweep removes old files no row points at, and keeps fresh ones and every file a row names', async () => {
	const setup = await projectWithCharacter(world);
	await readyPanel(world, setup, 'a lighthouse in fog');
	const take = await world.bot.database.db.take.findFirstOrThrow({ where: { panel: { ownerId: setup.userId } } });
	const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
	const orphan = `${randomUUID()}.png`;
	const fresh = `${randomUUID()}-2.png`;
	const halfWritten = `.${randomUUID()}.png.4242.tmp`;
	const notOurs = 'README.txt';
	for (const name of [orphan, fresh, halfWritten, notOurs]) await writeFile(join(folder(), name), Buffer.alloc(1024));
	for (const name of [orphan, halfWritten, notOurs, take.imagePath]) await utimes(join(folder(), name), hoursAgo(2), hoursAgo(2));

	const swept = await world.bot.sweepPictures();
	const now = await files();
	expect(now.has(orphan)).toBe(false);
	expect(now.has(halfWritten)).toBe(false);
	expect(now.has(fresh)).toBe(true);
	expect(now.has(notOurs)).toBe(true);
	expect(now.has(take.imagePath)).toBe(true);
	expect(swept.removed).toBeGreaterThanOrEqual(2);
});
