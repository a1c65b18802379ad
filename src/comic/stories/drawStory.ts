import { findProjectById } from '../access.ts';
import { estimateLoraBuzz, recordDrawingUsage } from '../../accounts/ledger.ts';
import { chooseWay } from '../engines/chooseWay.ts';
import { reservedBuzz } from '../engines/reserve.ts';
import { pictureCounts } from '../pictures/pictureCharacters.ts';
import { accessFor } from '../../accounts/settings.ts';
import type { PaidBy } from '../../accounts/spend.ts';
import { type Db, lockUser, type StoryPlan, type Tx } from '../../db/database.ts';
import { UserFacingError } from '../errors.ts';
import { quote } from '../names.ts';
import { checkLimits, type PanelLimits } from '../panels/checkLimits.ts';
import type { PanelMessageRef } from '../panels/newDrawing.ts';
import { nextPanelNumber } from '../panels/order.ts';
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
 * free slots. The server's settings and the user's own key decide the limits and who pays, as for a
 * single panel (accessFor), once for the whole story. One transaction under the user's turn, which also
 * moves the plan from `planned` to `drawing`: a second press finds it drawing and gets a plain answer,
 * with nothing created twice. The panels are numbered under the project's order lock.
 */
export async function drawStory(
	db: Db,
	limits: PanelLimits & { readonly storyPlanTtlMs?: number | undefined },
	ownerId: string,
	storyId: string,
	message: PanelMessageRef,
	now = Date.now(),
): Promise<DrawnStory> {
	return db.$transaction(async (tx) => {
		await lockUser(tx, ownerId, new Date(now));
		const story = await tx.storyPlan.findUnique({ where: { id: storyId } });
		if (!story) throw new UserFacingError('This story plan no longer exists (it expired, or its project was deleted). Plan it again with `/comic story`.');
		if (story.ownerId !== ownerId) throw new UserFacingError('Only the person who planned this story can draw it.');
		// Still allowed to draw in the project (a member removed since the plan is not).
		await findProjectById(tx, { userId: ownerId, guildId: story.guildId }, story.projectId, 'draw');
		if (story.status === 'drawing') throw new UserFacingError('This story is already being drawn: its progress is in the story message.');
		if (story.status === 'canceled') throw new UserFacingError('This story was canceled. Plan it again with `/comic story`.');
		if (isExpired(story, now, limits.storyPlanTtlMs)) throw new UserFacingError(STORY_EXPIRED);
		const plan = storyPlanSchema.parse(story.plan);
		const count = plan.panels.length;
		// Each panel's share of the plan's `whatif` estimate where there is one, else the LoRA estimate.
		const perPanel = story.estimatedBuzz ? story.estimatedBuzz / count : estimateLoraBuzz(1);
		const characters = await tx.character.findMany({ where: { projectId: story.projectId }, orderBy: { createdAt: 'asc' } });
		const byName = new Map(characters.map((character) => [character.name.toLowerCase(), character]));
		// The plan's whatif prices LoRA pictures: a panel drawn from pictures reserves its engine's price instead.
		const buzzOf = await storyPanelBuzz(tx, story.projectId, plan.panels, byName, characters[0], perPanel);
		// accounts: server settings and the user's own key, read in the turn; whose key pays is fixed on each drawing
		const access = await accessFor(tx, limits, { ownerId, guildId: story.guildId });
		await checkLimits(
			tx,
			access.limits,
			{ ownerId, guildId: story.guildId },
			now,
			count,
			buzzOf.reduce((sum, buzz) => sum + buzz, 0),
		);
		await placeNext(tx, access.limits, ownerId, count);
		const [fallback] = characters;
		if (!fallback) throw new UserFacingError('The project has no characters any more. Add one with `/comic character add`, then plan the story again.');
		// Read under the project's order lock (held to the end of the transaction): no move or delete interleaves.
		const first = await nextPanelNumber(tx, story.projectId);
		for (const [index, planned] of plan.panels.entries()) {
			const cast = planned.characters.map((name) => {
				const found = byName.get(name.toLowerCase());
				if (!found) throw new UserFacingError(`**${quote(name)}** of panel ${index + 1} is no longer a character of the project. Plan the story again.`);
				if (found.nsfw && !story.allowMature)
					throw new UserFacingError(`**${quote(found.name)}** uses a model marked as mature, so this story can only be drawn in an age-restricted channel.`);
				return found;
			});
			// Every panel is drawn with a LoRA: one that names nobody gets the project's first character's checkpoint and LoRA.
			const lead = cast[0] ?? fallback;
			const drawingId = await createStoryPanel(
				tx,
				story,
				{ number: first + index, prompt: planned.description, caption: planned.caption, dialogue: planned.dialogue },
				lead.id,
				cast.map((c) => c.id),
				message,
				access.paidBy,
				now + index,
			);
			// The limits ledger, in the same transaction: no later delete gives these drawings back.
			const admission = {
				drawingId,
				userId: ownerId,
				guildId: story.guildId,
				kind: 'story-panel',
				paidBy: access.paidBy,
				buzzEstimated: buzzOf[index] ?? perPanel,
			} as const;
			await recordDrawingUsage(tx, admission, now + index);
		}
		const { count: moved } = await tx.storyPlan.updateMany({ where: { id: story.id, status: 'planned' }, data: { status: 'drawing' } });
		if (moved !== 1) {
			// A Cancel pressed while this was being prepared won the one move out of `planned`: nothing here is kept.
			const current = await tx.storyPlan.findUnique({ where: { id: story.id }, select: { status: true } });
			if (current?.status === 'canceled') throw new UserFacingError('This story was canceled. Plan it again with `/comic story`.');
			throw new UserFacingError('This story is already being drawn: its progress is in the story message.');
		}
		const started = await promoteAfterCreate(tx, access.limits, ownerId, now);
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
	paidBy: PaidBy,
	createdAt: number,
): Promise<string> {
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
	// A millisecond apart, so the queue (oldest first) keeps the story's order; every one waits, the free slots are filled after.
	const drawing = await tx.drawing.create({
		data: {
			panelId: panel.id,
			ownerId: story.ownerId,
			guildId: story.guildId,
			prompt: content.prompt,
			paidBy,
			...message,
			status: 'waiting',
			createdAt: new Date(createdAt),
		},
	});
	return drawing.id;
}

/** A story plan older than this can no longer be drawn (STORY_PLAN_TTL_MINUTES' default), and is removed. */
export const DEFAULT_STORY_PLAN_TTL_MS = 60 * 60_000;

export const STORY_EXPIRED =
	'This story plan has expired (plans can be drawn for a limited time after they are made). Nothing was drawn; plan it again with `/comic story`.';

/** Whether a plan not yet drawn is too old to draw: its characters, settings and estimate may have changed since. */
export function isExpired(story: Pick<StoryPlan, 'status' | 'createdAt'>, now: number, ttlMs = DEFAULT_STORY_PLAN_TTL_MS): boolean {
	return story.status === 'planned' && now - story.createdAt.getTime() > ttlMs;
}

/**
 * What each panel of a story reserves in the limits ledger: its share of the plan's estimate, or, drawn
 * from pictures, its engine's price for one picture when that is more (docs/decisions/016-limits-ledger.md ("Drawings from pictures")).
 * A cast that cannot share one way of drawing keeps the share: its drawing fails before submission.
 */
async function storyPanelBuzz(
	tx: Tx,
	projectId: string,
	panels: readonly { readonly characters: readonly string[] }[],
	byName: ReadonlyMap<string, { readonly id: string; readonly name: string; readonly lora: boolean }>,
	fallback: { readonly id: string; readonly name: string; readonly lora: boolean } | undefined,
	share: number,
): Promise<number[]> {
	const project = await tx.project.findUnique({ where: { id: projectId }, select: { engine: true } });
	const casts = panels.map((panel) => {
		const cast = panel.characters.flatMap((name) => byName.get(name.toLowerCase()) ?? []);
		return cast.length > 0 ? cast : fallback ? [fallback] : [];
	});
	const engine = project?.engine ?? 'auto';
	if (engine === 'auto' && casts.every((cast) => cast.every((character) => character.lora))) return casts.map(() => share);
	const counts = await pictureCounts(tx, [...new Set(casts.flat().map((character) => character.id))]);
	return casts.map((cast) => {
		try {
			const way = chooseWay(
				engine,
				cast.map((character) => ({ name: character.name, lora: character.lora, pictures: counts.get(character.id) ?? 0 })),
			);
			return way.kind === 'pictures' ? Math.max(share, reservedBuzz(way, 1)) : share;
		} catch {
			return share;
		}
	});
}
