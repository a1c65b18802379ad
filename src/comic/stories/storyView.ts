import { letteredFile } from '../takes/lettered.ts';
import { mayShowHere } from '../takes/safety.ts';
import type { Db, DrawingStatus, StoryStatus } from '../../db/database.ts';

/** What the story's public message shows. */
export interface StoryView {
	readonly id: string;
	readonly ownerId: string;
	readonly projectName: string;
	readonly status: StoryStatus;
	readonly channelId: string;
	readonly applicationId: string | null;
	readonly interactionToken: string | null;
	readonly interactionCreatedAt: Date | null;
	readonly messageId: string | null;
	readonly panels: readonly StoryPanelView[];
}

export interface StoryPanelView {
	readonly number: number;
	readonly status: DrawingStatus;
	readonly caption: string | null;
	readonly description: string;
	readonly failureReason: string | null;
	/** The drawing's chosen take (lettered when the panel has words), once ready. */
	readonly picture: { readonly imagePath: string; readonly imageMime: string } | null;
}

/**
 * The story with each of its panels' newest drawing. Flat queries, no to-many include: Prisma wraps
 * those in a transaction, which on SQLite holds the write lock while it reads.
 */
export async function storyView(db: Db, storyId: string): Promise<StoryView | undefined> {
	const story = await db.storyPlan.findUnique({ where: { id: storyId }, include: { project: { select: { name: true } } } });
	// The project is read by a query of its own: deleted in between (the story goes with it), it is null.
	if (!story?.project) return undefined;
	const panels = await db.panel.findMany({
		where: { storyId },
		orderBy: { number: 'asc' },
		select: { id: true, number: true, prompt: true, caption: true, dialogue: true },
	});
	const drawings = await db.drawing.findMany({
		where: { panelId: { in: panels.map((panel) => panel.id) } },
		orderBy: { createdAt: 'desc' },
		select: { id: true, panelId: true, status: true, failureReason: true },
	});
	const newest = new Map<string, (typeof drawings)[number]>();
	for (const drawing of drawings) if (!newest.has(drawing.panelId)) newest.set(drawing.panelId, drawing);
	const ready = [...newest.values()].filter((drawing) => drawing.status === 'ready').map((drawing) => drawing.id);
	const takes = await db.take.findMany({
		where: { drawingId: { in: ready }, chosen: true },
		select: { drawingId: true, imagePath: true, imageMime: true, letteredPath: true, mature: true },
	});
	return {
		id: story.id,
		ownerId: story.ownerId,
		projectName: story.project.name,
		status: story.status,
		channelId: story.channelId,
		applicationId: story.applicationId,
		interactionToken: story.interactionToken,
		interactionCreatedAt: story.interactionCreatedAt,
		messageId: story.messageId,
		panels: panels.map((panel) => {
			const drawing = newest.get(panel.id);
			// Channel safety: the story's message is in the channel it was asked in; a mature picture shows only when that one is age-restricted.
			const take = drawing ? takes.find((each) => each.drawingId === drawing.id && mayShowHere(each, story.allowMature)) : undefined;
			return {
				number: panel.number,
				status: drawing?.status ?? 'waiting',
				caption: panel.caption,
				description: panel.prompt,
				failureReason: drawing?.failureReason ?? null,
				// Lettered (src/comic/takes/lettered.ts) when the panel has words: the file made for its current words.
				picture: take ? letteredFile(take, panel) : null,
			};
		}),
	};
}

/** "5 of 8 drawn": panels that ended either way count as done. */
export function storyProgress(view: Pick<StoryView, 'panels'>): { drawn: number; failed: number; total: number; done: boolean } {
	const drawn = view.panels.filter((panel) => panel.status === 'ready').length;
	const failed = view.panels.filter((panel) => panel.status === 'failed').length;
	return { drawn, failed, total: view.panels.length, done: drawn + failed === view.panels.length };
}
