import type { Db, Drawing } from '../../db/database.ts';

/** What a drawing's steps read: the row, and its panel with the panel's project and character. */
export type DrawingSubject = Drawing & {
	readonly panel: {
		readonly id: string;
		readonly number: number;
		readonly prompt: string;
		readonly enhance: boolean;
		readonly allowMature: boolean;
		readonly takeCount: number;
		readonly projectId: string;
	};
	readonly project: { readonly name: string };
	readonly character: { readonly name: string; readonly baseModel: string; readonly air: string; readonly trainedWords: unknown } | null;
};

type Related = Pick<DrawingSubject, 'panel' | 'project' | 'character'>;

const include = {
	panel: {
		select: {
			id: true,
			number: true,
			prompt: true,
			enhance: true,
			allowMature: true,
			takeCount: true,
			projectId: true,
			project: { select: { name: true } },
			character: { select: { name: true, baseModel: true, air: true, trainedWords: true } },
		},
	},
} as const;

/**
 * The drawing while `claim` holds it. Its panel, project and character are read with the first step of
 * a run and reused by the next ones (one statement instead of four): the prompt is built in a run's
 * first step, later steps only show the names.
 */
export async function loadDrawing(db: Db, id: string, claim: string, previous: Related | undefined): Promise<DrawingSubject | undefined> {
	if (previous) {
		const drawing = await db.drawing.findFirst({ where: { id, leaseOwner: claim } });
		return drawing ? { ...drawing, panel: previous.panel, project: previous.project, character: previous.character } : undefined;
	}
	const found = await db.drawing.findFirst({ where: { id, leaseOwner: claim }, include });
	if (!found) return undefined;
	const { project, character, ...panel } = found.panel;
	return { ...found, panel, project, character };
}
