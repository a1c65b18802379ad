import type { Db, PanelStatus } from '../db/database.ts';
import { findOwnProject } from './projects.ts';

/** `/comic project show` lists at most this many panels, the newest ones, and counts the rest. */
export const SHOWN_PANELS = 20;

/** One of the user's projects as `/comic project show` presents it: characters, newest panels in order, totals. */
export async function projectOverview(db: Db, ownerId: string, projectRef: string) {
	const project = await findOwnProject(db, ownerId, projectRef);
	const [characters, newest, byStatus] = await Promise.all([
		db.character.findMany({
			where: { projectId: project.id },
			orderBy: { createdAt: 'asc' },
			select: { id: true, name: true, baseModel: true, trainedWords: true },
		}),
		db.panel.findMany({
			where: { projectId: project.id },
			orderBy: { number: 'desc' },
			take: SHOWN_PANELS,
			select: {
				number: true,
				status: true,
				prompt: true,
				failureReason: true,
				guildId: true,
				channelId: true,
				messageId: true,
				character: { select: { name: true } },
			},
		}),
		db.panel.groupBy({ by: ['status'], where: { projectId: project.id }, _count: { _all: true } }),
	]);
	const totals: Record<PanelStatus, number> = { queued: 0, generating: 0, ready: 0, failed: 0 };
	for (const group of byStatus) totals[group.status] = group._count._all;
	const panelCount = totals.queued + totals.generating + totals.ready + totals.failed;
	return { project, characters, panels: newest.reverse(), panelCount, totals };
}

export type ProjectOverview = Awaited<ReturnType<typeof projectOverview>>;
