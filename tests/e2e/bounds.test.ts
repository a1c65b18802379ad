// Free but expensive work is bounded: story plans (LLM calls) per user per day, counted in the limits
// ledger; plans that expire; projects per user and characters per project.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { waitFor } from '../process.ts';
import { startWorld, type World } from '../world.ts';
import { projectWithCast } from './support/cast.ts';
import { newUserId } from './support/panels.ts';
import { planJson, press, scriptPlanner } from './support/story.ts';
import { modelVersion } from '../fakes/civitai.ts';

let world: World;
beforeAll(async () => {
	world = await startWorld({
		MAX_PANELS_IN_FLIGHT_PER_USER: '2',
		MAX_STORY_PLANS_PER_USER_PER_DAY: '2',
		STORY_PLAN_TTL_MINUTES: '60',
		MAX_PROJECTS_PER_USER: '3',
		MAX_CHARACTERS_PER_PROJECT: '2',
	});
});
afterAll(async () => {
	await world?.close();
});

const db = () => world.bot.database.db;
const TWO = [
	{ description: 'boundsA Nova on a pier', characters: ['Nova'] },
	{ description: 'boundsB the sea', characters: ['Nova'] },
];

async function plan(userId: string, project: string) {
	const sent = await world.command({ userId, subcommand: 'story', options: { project, story: 'Nova goes to sea' } });
	return world.waitForOriginal(sent.id, (message) => message.content.length > 0, 15_000);
}

test('story plans are counted per user per day: past the limit a plain refusal, and the LLM is not asked', async () => {
	const cast = await projectWithCast(world, [{ name: 'Nova', word: 'novachar' }]);
	const planner = scriptPlanner(world.openai, () => planJson(TWO));
	expect((await plan(cast.userId, cast.project)).content).toContain('Story plan');
	// A plan that fails still counts: the LLM was asked.
	world.openai.reply = () => 'not json at all';
	expect((await plan(cast.userId, cast.project)).content).toContain('could not be used');
	scriptPlanner(world.openai, () => planJson(TWO));
	const asked = world.openai.completions.length;

	const refused = await plan(cast.userId, cast.project);
	expect(refused.ephemeral).toBe(true);
	expect(refused.content).toContain('You have planned 2 stories in the last 24 hours, the daily limit');
	expect(refused.content).toMatch(/<t:\d+:R>/);
	expect(world.openai.completions.length).toBe(asked);
	expect(planner.planning()).toBe(1);
	expect(await db().storyPlan.count({ where: { ownerId: cast.userId } })).toBe(1);
	expect(await db().usageEntry.count({ where: { userId: cast.userId, kind: 'story-plan' } })).toBe(2);

	// Someone else may still plan.
	const other = await projectWithCast(world, [{ name: 'Nova', word: 'novachar' }]);
	expect((await plan(other.userId, other.project)).content).toContain('Story plan');
});

test('a plan older than its time can no longer be drawn; expired plans are removed', async () => {
	const cast = await projectWithCast(world, [{ name: 'Nova', word: 'novachar' }]);
	scriptPlanner(world.openai, () => planJson(TWO));
	const planned = await plan(cast.userId, cast.project);
	const story = await db().storyPlan.findFirstOrThrow({ where: { ownerId: cast.userId } });
	// Made 61 minutes ago (the plan's time is 60).
	await db().storyPlan.update({ where: { id: story.id }, data: { createdAt: new Date(Date.now() - 61 * 60_000) } });

	const pressed = await press(world, planned, 'Draw all', cast.userId);
	const answer = await world.discord.waitFor(() => [...world.discord.messages.values()].find((m) => m.interactionId === pressed.id && m.ephemeral));
	expect(answer.content).toContain('expired');
	expect(await db().panel.count({ where: { ownerId: cast.userId } })).toBe(0);
	expect(await db().usageEntry.count({ where: { userId: cast.userId, kind: { not: 'story-plan' } } })).toBe(0);

	// The job runner's periodic upkeep (every few seconds) removes it.
	await waitFor(
		async () => (await db().storyPlan.count({ where: { id: story.id } })) === 0,
		20_000,
		() => 'the expired plan was not removed',
	);
}, 30_000);

test('a story drawn with Draw all is written in the ledger, each panel with its share of the whatif estimate', async () => {
	const cast = await projectWithCast(world, [{ name: 'Nova', word: 'novachar' }]);
	scriptPlanner(world.openai, () => planJson(TWO));
	const planned = await plan(cast.userId, cast.project);
	await press(world, planned, 'Draw all', cast.userId);
	await waitFor(
		async () => (await db().usageEntry.count({ where: { userId: cast.userId, kind: 'story-panel' } })) === 2,
		15_000,
		() => 'no ledger rows',
	);
	const story = await db().storyPlan.findFirstOrThrow({ where: { ownerId: cast.userId } });
	const entries = await db().usageEntry.findMany({ where: { userId: cast.userId, kind: 'story-panel' } });
	for (const entry of entries) expect(entry.buzzEstimated).toBe((story.estimatedBuzz ?? 0) / 2);
});

test('projects per user and characters per project are capped, with a plain refusal that names the cap', async () => {
	const userId = newUserId();
	for (const name of ['One', 'Two', 'Three'])
		expect((await world.command({ userId, group: 'project', subcommand: 'create', options: { name } })).reply.content).toContain('Created');
	const refused = await world.command({ userId, group: 'project', subcommand: 'create', options: { name: 'Four' } });
	expect(refused.reply.ephemeral).toBe(true);
	expect(refused.reply.content).toContain('3 is the most one person may have');
	expect(await db().project.count({ where: { ownerId: userId } })).toBe(3);

	let added = 0;
	const add = async () => {
		added += 1;
		const version = modelVersion({ baseModel: 'SDXL 1.0', model: { name: `Hero ${added}` } });
		world.civitai.addModelVersion(version);
		const sent = await world.command({ userId, group: 'character', subcommand: 'add', options: { project: 'One', model: String(version.id) } });
		return world.waitForOriginal(sent.id, (message) => message.content.length > 0);
	};
	expect((await add()).content).toContain('Added');
	expect((await add()).content).toContain('Added');
	const third = await add();
	expect(third.ephemeral).toBe(true);
	expect(third.content).toContain('2 is the most a project may have');
	const project = await db().project.findFirstOrThrow({ where: { ownerId: userId, name: 'One' } });
	expect(await db().character.count({ where: { projectId: project.id } })).toBe(2);
});
