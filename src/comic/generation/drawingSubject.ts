import { type Character, type Db, type Drawing, type DrawingPanel, drawingPanels, type Panel, panelCharacters, type Project } from '../../db/database.ts';

/** What a drawing's steps read: the row, and its panel with the panel's project and character. */
export type DrawingSubject = Drawing & {
	readonly panel: DrawingPanel['panel'];
	readonly project: DrawingPanel['project'];
	readonly character: PanelCharacter | null;
	/** Everyone in the panel, in order (older panels, from before several characters: their one character). */
	readonly characters: readonly PanelCharacter[];
	/**
	 * The previous step of this same run marked the delivery as started (with the outcome that ended the
	 * drawing): no attempt has reached Discord yet, so there is no message to look at first.
	 */
	readonly deliveryMarkedInRun?: boolean;
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
 * The drawing while `claim` holds it. Its panel, project and characters are read with the first step of
 * a run (two statements: the row, then its panel with project and characters) and reused by the next ones, which get the row as their previous step stored it.
 */
export async function loadDrawing(
	db: Db,
	id: string,
	claim: string,
	previous: (Related & Pick<Drawing, 'deliveryStartedAt'>) | undefined,
	stored?: Drawing,
): Promise<DrawingSubject | undefined> {
	// The row as the previous step's outcome was stored, under the same lease: nothing to read again.
	if (previous && stored) {
		const subject = withRelated(stored, previous);
		return !previous.deliveryStartedAt && stored.deliveryStartedAt ? { ...subject, deliveryMarkedInRun: true } : subject;
	}
	const drawing = await db.drawing.findFirst({ where: { id, leaseOwner: claim } });
	if (!drawing) return undefined;
	if (previous) return withRelated(drawing, previous);
	return (await loadClaimedDrawings(db, [drawing])).get(drawing.id);
}

/**
 * The subject of a drawing its command has just stored, from what the command holds: the row as
 * inserted, the panel it created, the project and the characters it was planned with (the first is
 * the panel's `characterId`). Its first run takes it instead of reading the row and the panel again
 * (src/jobs/runner.ts, `run`'s `first`); the steps after read what they store.
 */
export function newDrawingSubject(
	drawing: Drawing,
	panel: Panel,
	project: Pick<Project, 'name' | 'description' | 'engine'>,
	characters: readonly Character[],
): DrawingSubject {
	const inPanel = characters.map(
		(character): PanelCharacter => ({
			id: character.id,
			name: character.name,
			lora: character.lora,
			description: character.description,
			baseModel: character.baseModel,
			air: character.air,
			trainedWords: character.trainedWords,
			strength: character.strength,
			nsfw: character.nsfw,
		}),
	);
	return withRelated(drawing, {
		panel: {
			id: panel.id,
			number: panel.number,
			prompt: panel.prompt,
			enhance: panel.enhance,
			allowMature: panel.allowMature,
			takeCount: panel.takeCount,
			projectId: panel.projectId,
			storyId: panel.storyId,
			caption: panel.caption,
			dialogue: panel.dialogue,
			followPanelId: panel.followPanelId,
		},
		project: { name: project.name, description: project.description, engine: project.engine },
		character: inPanel.find((character) => character.id === panel.characterId) ?? null,
		characters: inPanel,
	});
}

function withRelated(drawing: Drawing, related: Related): DrawingSubject {
	return { ...drawing, panel: related.panel, project: related.project, character: related.character, characters: related.characters };
}

/**
 * The subjects of drawings a claim just leased and returned: their panels (with project and
 * character) and the characters in each panel, read for the whole batch in one statement. A drawing
 * whose panel is gone is left out (its first step reads it, and stops).
 */
export async function loadClaimedDrawings(db: Db, drawings: readonly Drawing[]): Promise<Map<string, DrawingSubject>> {
	const subjects = new Map<string, DrawingSubject>();
	if (drawings.length === 0) return subjects;
	const panelIds = [...new Set(drawings.map((drawing) => drawing.panelId))];
	const panels = await drawingPanels(db, panelIds);
	for (const drawing of drawings) {
		const found = panels.get(drawing.panelId);
		if (!found) continue;
		const { members, ...related } = found;
		const characters = members.length > 0 ? members : found.character ? [found.character] : [];
		subjects.set(drawing.id, withRelated(drawing, { ...related, characters }));
	}
	return subjects;
}
