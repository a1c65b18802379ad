import type { Db, PanelStatus, StoryStatus } from '../../db/database.ts';

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
	readonly status: PanelStatus;
	readonly caption: string | null;
	readonly description: string;
	readonly failureReason: string | null;
	/** The drawing's first take, once ready. */
	readonly picture: { readonly imagePath: string; readonly imageMime: string } | null;
}

/** The story with each of its panels' newest drawing: one query. */
export async function storyView(db: Db, storyId: string): Promise<StoryView | undefined> {
	const story = await db.storyPlan.findUnique({
		where: { id: storyId },
		include: {
			project: { select: { name: true } },
			panels: {
				orderBy: { number: 'asc' },
				select: {
					number: true,
					prompt: true,
					caption: true,
					drawings: {
						orderBy: { createdAt: 'desc' },
						take: 1,
						select: { status: true, failureReason: true, takes: { orderBy: { index: 'asc' }, take: 1, select: { imagePath: true, imageMime: true } } },
					},
				},
			},
		},
	});
	if (!story) return undefined;
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
		panels: story.panels.map((panel) => {
			const drawing = panel.drawings[0];
			const take = drawing?.status === 'ready' ? drawing.takes[0] : undefined;
			return {
				number: panel.number,
				status: drawing?.status ?? 'waiting',
				caption: panel.caption,
				description: panel.prompt,
				failureReason: drawing?.failureReason ?? null,
				picture: take ? { imagePath: take.imagePath, imageMime: take.imageMime } : null,
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
