import { type Db, type Drawing, panelCharacters } from '../../db/database.ts';

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
		readonly storyId: string | null;
		readonly caption: string | null;
		readonly dialogue: string | null;
		/** The panel whose picture this one follows (`/comic panel follow:`), or null. */
		readonly followPanelId: string | null;
	};
	readonly project: { readonly name: string; readonly description: string | null; readonly engine: string };
	readonly character: PanelCharacter | null;
	/** Everyone in the panel, in order (older panels, from before several characters: their one character). */
	readonly characters: readonly PanelCharacter[];
};

export interface PanelCharacter {
	readonly id: string;
	readonly name: string;
	/** Whether it has a LoRA (a character made from pictures has none). */
	readonly lora: boolean;
	readonly description: string | null;
	readonly baseModel: string;
	readonly air: string;
	readonly trainedWords: unknown;
	readonly strength: number;
	/** The model is marked as mature: its pictures are shown only in age-restricted channels. */
	readonly nsfw: boolean;
}

type Related = Pick<DrawingSubject, 'panel' | 'project' | 'character' | 'characters'>;
const characterFields = {
	id: true,
	lora: true,
	description: true,
	name: true,
	baseModel: true,
	air: true,
	trainedWords: true,
	strength: true,
	nsfw: true,
} as const;

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
			storyId: true,
			caption: true,
			dialogue: true,
			followPanelId: true,
			project: { select: { name: true, description: true, engine: true } },
			character: { select: characterFields },
		},
	},
} as const;

/** A drawing to show again outside its job (new words on its panel): read without a lease. */
export async function drawingToShow(db: Db, id: string): Promise<DrawingSubject | undefined> {
	const found = await db.drawing.findUnique({ where: { id }, include });
	// Prisma reads the panel and its project by queries of their own: a delete in between leaves them null.
	if (!found?.panel?.project) return undefined;
	const { project, character, ...panel } = found.panel;
	const inPanel = await panelCharacters(db, panel.id);
	return { ...found, panel, project, character, characters: inPanel.length > 0 ? inPanel : character ? [character] : [] };
}

/**
 * The drawing while `claim` holds it. Its panel, project and character are read with the first step of
 * a run and reused by the next ones (one statement instead of four): the prompt is built in a run's
 * first step, later steps only show the names.
 */
export async function loadDrawing(db: Db, id: string, claim: string, previous: Related | undefined): Promise<DrawingSubject | undefined> {
	if (previous) {
		const drawing = await db.drawing.findFirst({ where: { id, leaseOwner: claim } });
		return drawing
			? { ...drawing, panel: previous.panel, project: previous.project, character: previous.character, characters: previous.characters }
			: undefined;
	}
	const found = await db.drawing.findFirst({ where: { id, leaseOwner: claim }, include });
	if (!found?.panel?.project) return undefined;
	const { project, character, ...panel } = found.panel;
	const inPanel = await panelCharacters(db, panel.id);
	return { ...found, panel, project, character, characters: inPanel.length > 0 ? inPanel : character ? [character] : [] };
}
