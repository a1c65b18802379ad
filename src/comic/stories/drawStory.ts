import { type Db, lockUser, type StoryPlan, type Tx } from '../../db/database.ts';
import { UserFacingError } from '../errors.ts';
import { quote } from '../names.ts';
import { checkLimits, type PanelLimits, type PanelMessageRef } from '../panels/requestPanel.ts';
import { placeNext, promoteAfterCreate } from '../panels/queue.ts';
import { storyPlanSchema } from './plan.ts';

export interface DrawnStory {
	readonly story: StoryPlan;
	readonly panels: number;
	/** Drawings that start now (the rest wait for the user's slots). */
	readonly started: string[];
}

/**
 * Draw all: checks the daily limits and the queue for the whole story, then creates its panels in
 * order, each with its one drawing waiting in the user's queue, and starts as many as the user has
 * free slots. One transaction under the user's turn, which also moves the plan from `planned` to
 * `drawing`: a second press finds it drawing and gets a plain answer, with nothing created twice.
 */
export async function drawStory(
	db: Db,
	limits: PanelLimits,
	ownerId: string,
	storyId: string,
	message: PanelMessageRef,
	now = Date.now(),
): Promise<DrawnStory> {
	return db.$transaction(async (tx) => {
		await lockUser(tx, ownerId, new Date(now));
		const story = await tx.storyPlan.findUnique({ where: { id: storyId } });
		if (!story) throw new UserFacingError('This story plan no longer exists (its project may have been deleted). Plan it again with `/comic story`.');
		if (story.ownerId !== ownerId) throw new UserFacingError('Only the person who planned this story can draw it.');
		if (story.status === 'drawing') throw new UserFacingError('This story is already being drawn: its progress is in the story message.');
		if (story.status === 'canceled') throw new UserFacingError('This story was canceled. Plan it again with `/comic story`.');
		const plan = storyPlanSchema.parse(story.plan);
		const count = plan.panels.length;
		await checkLimits(tx, limits, { ownerId, guildId: story.guildId }, now, count);
		await placeNext(tx, limits, ownerId, count);
		const characters = await tx.character.findMany({ where: { projectId: story.projectId }, orderBy: { createdAt: 'asc' } });
		const byName = new Map(characters.map((character) => [character.name.toLowerCase(), character]));
		const [fallback] = characters;
		if (!fallback) throw new UserFacingError('The project has no characters any more. Add one with `/comic character add`, then plan the story again.');
		const last = (await tx.panel.findFirst({ where: { projectId: story.projectId }, orderBy: { number: 'desc' }, select: { number: true } }))?.number ?? 0;
		for (const [index, planned] of plan.panels.entries()) {
			const cast = planned.characters.map((name) => {
				const found = byName.get(name.toLowerCase());
				if (!found) throw new UserFacingError(`**${quote(name)}** of panel ${index + 1} is no longer a character of the project. Plan the story again.`);
				if (found.nsfw && !story.allowMature)
					throw new UserFacingError(`**${quote(found.name)}** uses a model marked as mature, so this story can only be drawn in an age-restricted channel.`);
				return found;
			});
			// Every panel is drawn with a LoRA: one that names nobody gets the project's first character's checkpoint and LoRA.
			const first = cast[0] ?? fallback;
			await createStoryPanel(
				tx,
				story,
				{ number: last + index + 1, prompt: planned.description, caption: planned.caption, dialogue: planned.dialogue },
				first.id,
				cast.map((c) => c.id),
				message,
				now + index,
			);
		}
		const { count: moved } = await tx.storyPlan.updateMany({ where: { id: story.id, status: 'planned' }, data: { status: 'drawing' } });
		if (moved !== 1) throw new UserFacingError('This story is already being drawn: its progress is in the story message.');
		const started = await promoteAfterCreate(tx, limits, ownerId, now);
		return { story: { ...story, status: 'drawing' }, panels: count, started };
	});
}

async function createStoryPanel(
	tx: Tx,
	story: StoryPlan,
	content: { number: number; prompt: string; caption: string | null | undefined; dialogue: string | null | undefined },
	characterId: string,
	cast: readonly string[],
	message: PanelMessageRef,
	createdAt: number,
): Promise<void> {
	const panel = await tx.panel.create({
		data: {
			projectId: story.projectId,
			characterId,
			number: content.number,
			ownerId: story.ownerId,
			prompt: content.prompt,
			caption: content.caption || null,
			dialogue: content.dialogue || null,
			enhance: story.enhance,
			allowMature: story.allowMature,
			guildId: story.guildId,
			storyId: story.id,
			createdAt: new Date(createdAt),
		},
	});
	if (cast.length > 0) await tx.panelCharacter.createMany({ data: cast.map((id, index) => ({ panelId: panel.id, position: index + 1, characterId: id })) });
	// A millisecond apart, so the queue (oldest first) keeps the story's order.
	await tx.drawing.create({
		data: { panelId: panel.id, ownerId: story.ownerId, guildId: story.guildId, ...message, status: 'waiting', createdAt: new Date(createdAt) },
	});
}
