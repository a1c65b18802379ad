import type { Db } from '../../db/database.ts';
import { accessTo, type Actor, mayUsePanel } from '../access.ts';
import { UserFacingError } from '../errors.ts';

export const STALE_PANEL = 'This panel no longer exists: it, or its project, was deleted. Nothing was changed.';
export const NOT_THE_OWNER = 'Only the owner of this project, or whoever drew this panel, can use its buttons. Draw your own with `/comic panel`.';

const include = {
	panel: {
		include: {
			project: { select: { id: true, name: true, engine: true, ownerId: true, guildId: true } },
			character: { select: { id: true, name: true, nsfw: true, baseModel: true, strength: true, lora: true } },
			// Everyone in the panel, in order (panels from before several characters have none: their one `character`).
			characters: {
				orderBy: { position: 'asc' },
				select: { character: { select: { id: true, name: true, nsfw: true, baseModel: true, strength: true, lora: true } } },
			},
		},
	},
} as const;

/**
 * The drawing a button of a panel message names, with its panel, for whoever drew the panel (while they
 * may still draw in the project) and the project's owner; `delete` also for whoever moderates it
 * (src/comic/access.ts). A drawing of a deleted panel (or project) is gone with it: such a button is
 * stale and says so.
 */
export async function findOwnDrawing(db: Db, actor: Actor, drawingId: string, right: 'draw' | 'delete' = 'draw') {
	const drawing = await db.drawing.findUnique({ where: { id: drawingId }, include });
	// The panel (and its project) are read by queries of their own: a delete committed in between leaves
	// the drawing without them. Their types say they cannot be null; Prisma gives null then.
	const panel: { readonly ownerId: string; readonly project: { id: string; ownerId: string; guildId: string | null } | null } | null = drawing?.panel ?? null;
	if (!drawing || !panel?.project) throw new UserFacingError(STALE_PANEL);
	if (!mayUsePanel(await accessTo(db, panel.project, actor), panel, actor, right)) throw new UserFacingError(NOT_THE_OWNER);
	return drawing;
}

export type OwnDrawing = Awaited<ReturnType<typeof findOwnDrawing>>;

/** The prompt a drawing was asked for with: its own, or its panel's for drawings made before it was kept. */
export function typedPrompt(drawing: { prompt: string | null; panel: { prompt: string } }): string {
	return drawing.prompt ?? drawing.panel.prompt;
}

/** Everyone in the drawing's panel, in order: its PanelCharacter rows, or its one character for older panels. */
export function castOf(drawing: OwnDrawing) {
	const cast = drawing.panel.characters.map((row) => row.character);
	return cast.length > 0 ? cast : drawing.panel.character ? [drawing.panel.character] : [];
}
