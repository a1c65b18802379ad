import type { Db, DrawingStatus } from '../db/database.ts';
import { type Actor, findProject } from './access.ts';

/** `/comic project show` lists at most this many panels, the newest ones, and counts the rest. */
export const SHOWN_PANELS = 20;

/** A panel's state is its newest drawing's. */
const newestDrawing = {
	orderBy: { createdAt: 'desc' },
	take: 1,
	select: { status: true, failureReason: true, guildId: true, channelId: true, messageId: true },
} as const;

/**
 * A project the user may read as `/comic project show` presents it: characters, newest panels in order
 * (each with who drew it), totals.
 */
export async function projectOverview(db: Db, actor: Actor, projectRef: string) {
	const project = await findProject(db, actor, projectRef, 'read');
	const [characters, newest, all] = await Promise.all([
		db.character.findMany({
			where: { projectId: project.id },
			orderBy: { createdAt: 'asc' },
			select: { id: true, name: true, baseModel: true, trainedWords: true, lora: true, description: true },
		}),
		db.panel.findMany({
			where: { projectId: project.id },
			orderBy: { number: 'desc' },
			take: SHOWN_PANELS,
			select: {
				number: true,
				prompt: true,
				ownerId: true,
				character: { select: { name: true } },
				drawings: newestDrawing,
				// The panel's picture: its chosen take, shown in its own drawing's message.
				takes: { where: { chosen: true }, take: 1, select: { index: true, drawing: { select: { guildId: true, channelId: true, messageId: true } } } },
			},
		}),
		db.panel.findMany({ where: { projectId: project.id }, select: { drawings: { orderBy: { createdAt: 'desc' }, take: 1, select: { status: true } } } }),
	]);
	const totals: Record<DrawingStatus, number> = { waiting: 0, queued: 0, generating: 0, ready: 0, failed: 0 };
	for (const panel of all) totals[panel.drawings[0]?.status ?? 'queued']++;
	const panels = newest.reverse().map(({ drawings, takes, ...panel }) => {
		const drawing = drawings[0];
		const picture = takes[0];
		// A ready panel links to the message that shows its chosen take; otherwise to its newest drawing's.
		const shownIn = drawing?.status === 'ready' && picture ? picture.drawing : drawing;
		return {
			...panel,
			status: drawing?.status ?? ('queued' as const),
			failureReason: drawing?.failureReason ?? null,
			chosenTake: picture?.index ?? null,
			guildId: shownIn?.guildId ?? null,
			channelId: shownIn?.channelId ?? null,
			messageId: shownIn?.messageId ?? null,
		};
	});
	return { project, characters, panels, panelCount: all.length, totals };
}

export type ProjectOverview = Awaited<ReturnType<typeof projectOverview>>;
