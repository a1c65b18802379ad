import { findProjectById } from '../access.ts';
import { estimateLoraBuzz } from '../../accounts/ledger.ts';
import type { Character, Db, StoryPlan, Tx } from '../../db/database.ts';
import { type Admission, admit, type NewDrawing } from '../drawings/admit.ts';
import { checkCast } from '../drawings/channelSafety.ts';
import type { PanelLimits } from '../drawings/checkLimits.ts';
import type { DrawingMessageRef } from '../drawings/newDrawing.ts';
import { reservedBuzz } from '../drawings/reserve.ts';
import { chooseWay } from '../engines/chooseWay.ts';
import { UserFacingError } from '../errors.ts';
import { quote } from '../names.ts';
import { nextPanelNumber } from '../panels/order.ts';
import { pictureCounts } from '../pictures/pictureCharacters.ts';
import { type StoryPlanContent, storyPlanSchema } from './plan.ts';

export interface DrawnStory {
	readonly story: StoryPlan;
	readonly panels: number;
	/** Drawings that start now (the rest wait for the user's slots). */
	readonly started: string[];
}

/**
 * Draw all: admitted like every drawing (src/comic/drawings/admit.ts), as one admission of the story's
 * panels: under the user's turn the plan is read and checked, then access, the daily limits and the
 * queue for the whole story; its panels are created in order, each with its one drawing waiting in the
 * user's queue, and as many start as the user has free slots. The server's settings and the user's own
 * key decide the limits and who pays, as for a single panel, once for the whole story. The same
 * transaction moves the plan from `planned` to `drawing`: a second press finds it drawing and gets a
 * plain answer, with nothing created twice. The panels are numbered under the project's order lock.
 */
export async function drawStory(
	db: Db,
	limits: PanelLimits & { readonly storyPlanTtlMs?: number | undefined },
	ownerId: string,
	storyId: string,
	message: DrawingMessageRef,
	now = Date.now(),
): Promise<DrawnStory> {
	// A story's drawings are never leased to the press: the runner starts those promoted into free slots.
	const admitted = await admit(db, limits, storyAdmission(limits, ownerId, storyId, now), message, null, now);
	const { story, count } = admitted.content;
	return { story: { ...story, status: 'drawing' }, panels: count, started: [...admitted.promoted] };
}

function storyAdmission(
	limits: { readonly storyPlanTtlMs?: number | undefined },
	ownerId: string,
	storyId: string,
	now: number,
): Admission<{ story: StoryPlan; count: number }> {
	// Read under the user's turn by `reserve`, used by `store` and `after` in the same transaction.
	let read: { story: StoryPlan; plan: StoryPlanContent; characters: Character[]; perPanel: number } | undefined;
	const current = () => {
		if (!read) throw new Error('a story stored before it was read');
		return read;
	};
	return {
		ownerId,
		kind: 'story-panel',
		async reserve(tx) {
			const story = await tx.storyPlan.findUnique({ where: { id: storyId } });
			if (!story) throw new UserFacingError('This story plan no longer exists (it expired, or its project was deleted). Plan it again with `/comic story`.');
			if (story.ownerId !== ownerId) throw new UserFacingError('Only the person who planned this story can draw it.');
			// Still allowed to draw in the project (a member removed since the plan is not).
			await findProjectById(tx, { userId: ownerId, guildId: story.guildId }, story.projectId, 'draw');
			if (story.status === 'drawing') throw new UserFacingError('This story is already being drawn: its progress is in the story message.');
			if (story.status === 'canceled') throw new UserFacingError('This story was canceled. Plan it again with `/comic story`.');
			if (isExpired(story, now, limits.storyPlanTtlMs)) throw new UserFacingError(STORY_EXPIRED);
			const plan = storyPlanSchema.parse(story.plan);
			// Each panel's share of the plan's `whatif` estimate where there is one, else the LoRA estimate.
			const perPanel = story.estimatedBuzz ? story.estimatedBuzz / plan.panels.length : estimateLoraBuzz(1);
			const characters = await tx.character.findMany({ where: { projectId: story.projectId }, orderBy: { createdAt: 'asc' } });
			read = { story, plan, characters, perPanel };
			// The plan's whatif prices LoRA pictures: a panel drawn from pictures reserves its engine's price instead.
			const byName = new Map(characters.map((character) => [character.name.toLowerCase(), character]));
			return { guildId: story.guildId, buzz: await storyPanelBuzz(tx, story.projectId, plan.panels, byName, characters[0], perPanel) };
		},
		async store(tx) {
			const { story, plan, characters } = current();
			const byName = new Map(characters.map((character) => [character.name.toLowerCase(), character]));
			const [fallback] = characters;
			if (!fallback) throw new UserFacingError('The project has no characters any more. Add one with `/comic character add`, then plan the story again.');
			// Read under the project's order lock (held to the end of the transaction): no move or delete interleaves.
			const first = await nextPanelNumber(tx, story.projectId);
			const drawings: NewDrawing[] = [];
			for (const [index, planned] of plan.panels.entries()) {
				const cast = planned.characters.map((name) => {
					const found = byName.get(name.toLowerCase());
					if (!found) throw new UserFacingError(`**${quote(name)}** of panel ${index + 1} is no longer a character of the project. Plan the story again.`);
					return found;
				});
				checkCast(cast, story.allowMature, 'story');
				// Every panel is drawn with a LoRA: one that names nobody gets the project's first character's checkpoint and LoRA.
				const lead = cast[0] ?? fallback;
				const panelId = await createStoryPanel(
					tx,
					story,
					{ number: first + index, prompt: planned.description, caption: planned.caption, dialogue: planned.dialogue },
					lead.id,
					cast.map((c) => c.id),
					now + index,
				);
				drawings.push({ panelId, prompt: planned.description });
			}
			return { drawings, content: { story, count: plan.panels.length } };
		},
		async after(tx) {
			const { story } = current();
			const { count: moved } = await tx.storyPlan.updateMany({ where: { id: story.id, status: 'planned' }, data: { status: 'drawing' } });
			if (moved === 1) return;
			// A Cancel pressed while this was being prepared won the one move out of `planned`: nothing here is kept.
			const latest = await tx.storyPlan.findUnique({ where: { id: story.id }, select: { status: true } });
			if (latest?.status === 'canceled') throw new UserFacingError('This story was canceled. Plan it again with `/comic story`.');
			throw new UserFacingError('This story is already being drawn: its progress is in the story message.');
		},
	};
}

/** A story's panel: its content and cast (its drawing is stored by `admit`). */
async function createStoryPanel(
	tx: Tx,
	story: StoryPlan,
	content: { number: number; prompt: string; caption: string | null | undefined; dialogue: string | null | undefined },
	characterId: string,
	cast: readonly string[],
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
	return panel.id;
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
