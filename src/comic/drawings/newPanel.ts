import type { Character, Db, Drawing, Panel, Project } from '../../db/database.ts';
import type { Way } from '../engines/chooseWay.ts';
import { type DrawingSubject, newDrawingSubject } from '../generation/drawingSubject.ts';
import { UserFacingError } from '../errors.ts';
import type { PanelWords } from '../lettering/words.ts';
import { accessTo, type Actor, findProject, may } from '../access.ts';
import { PANEL_PROMPT_MAX } from '../limits.ts';
import { nameKey } from '../names.ts';
import { checkFollow } from '../panels/followPanel.ts';
import { createLastPanel } from '../panels/order.ts';
import { pickCharacters } from '../panels/panelCharacters.ts';
import { type Admission, admit, checkAdmission } from './admit.ts';
import { checkCast } from './channelSafety.ts';
import type { PanelLimits } from './checkLimits.ts';
import type { DrawingMessageRef } from './newDrawing.ts';
import type { Placement } from './queue.ts';
import { reservedBuzz, wayOfCast } from './reserve.ts';

export { PANEL_PROMPT_MAX };
export type { PanelLimits };

export interface PanelRequest {
	readonly ownerId: string;
	readonly project: string;
	readonly character?: string | null | undefined;
	readonly prompt: string;
	readonly guildId: string | null;
	/** An age-restricted guild channel: mature models and images are allowed there (not in DMs). */
	readonly allowMature: boolean;
	/** Pictures asked for (1–4): the Buzz estimate checked against the budgets before the acknowledgement. */
	readonly takes?: number | undefined;
	/** `follow:`: the number of a ready panel of the project whose picture is a reference for this one. */
	readonly follow?: number | null | undefined;
}

export interface PanelPlan {
	readonly project: Project;
	/** The first of `characters` (Panel.characterId). */
	readonly character: Character;
	/** Everyone in the panel, mentioned first, then the `character` option's. */
	readonly characters: readonly Character[];
	readonly prompt: string;
	readonly request: PanelRequest;
	/** The server's default for `enhance` (`/comic settings`), read with its limits. */
	readonly enhanceDefault: boolean;
	/** How it will be drawn (checked again when the prompt is built: characters may change meanwhile). */
	readonly way?: Way;
	/** The panel it follows (`follow:`), checked (./followPanel.ts); null when none. */
	readonly followPanelId?: string | null;
}

/**
 * Everything that can be refused is refused here, and nothing is stored before it passes. It usually
 * runs before the interaction is acknowledged, so a refusal is a plain private reply; in a burst it runs
 * just after (docs/decisions/006-acknowledgements-in-a-burst.md).
 */
export async function planPanel(db: Db, limits: PanelLimits, request: PanelRequest, now = Date.now()): Promise<PanelPlan> {
	const prompt = checkPrompt(request.prompt);
	// Two queries in the usual case (the project, its candidate characters): this runs before the
	// acknowledgement, for every panel, when many people draw at once. The panel's number is read once,
	// under the project's order lock, when it is stored.
	const found = await findProjectWithCharacters(
		db,
		{ userId: request.ownerId, guildId: request.guildId },
		request.project,
		request.character,
		prompt.includes('@'),
	);
	const { project } = found;
	const characters = pickCharacters(project, found.characters, request.character, prompt);
	checkCast(characters, request.allowMature, 'panel');
	// One way of drawing per panel: refused here, before anything is stored, when the cast cannot share one.
	const way = await wayOfCast(db, project.engine, characters);
	const followPanelId = await checkFollow(db, project, request.follow, way, characters.length, request.allowMature);
	// Access (server settings, the user's own key) and the limits; a panel drawn from pictures reserves its
	// engine's price, not a LoRA picture's (docs/decisions/016-limits-ledger.md ("Drawings from pictures")).
	const access = await checkAdmission(db, limits, request, now, 1, () => reservedBuzz(way, request.takes ?? 1));
	const [character] = characters;
	if (!character) throw new Error('a panel without characters');
	return { project, character, characters, prompt, request, enhanceDefault: access.enhanceDefault, way, followPanelId };
}

/** The prompt, trimmed, or a refusal; needs no database, so it can always come before the acknowledgement. */
export function checkPrompt(text: string): string {
	const prompt = text.trim();
	if (!prompt) throw new UserFacingError('The prompt is empty. Describe the panel, e.g. `she jumps across the rooftops`.');
	if (prompt.length > PANEL_PROMPT_MAX)
		throw new UserFacingError(`The prompt is ${prompt.length} characters long; the limit is ${PANEL_PROMPT_MAX}. Shorten it.`);
	return prompt;
}

async function findProjectWithCharacters(
	db: Db,
	actor: Actor,
	projectRef: string,
	characterRef: string | null | undefined,
	mentions: boolean,
): Promise<{ project: Project; characters: Character[] }> {
	const text = characterRef?.trim();
	// A prompt with `@` may mention any of them; otherwise the one named, or two to tell "only one" from "several".
	const characters = mentions
		? { take: 200, orderBy: { createdAt: 'asc' as const } }
		: text
			? { where: { OR: [{ nameKey: nameKey(text) }, { id: text }] }, take: 1 }
			: { take: 2, orderBy: { createdAt: 'asc' as const } };
	const ref = projectRef.trim();
	const include = { characters };
	// Autocomplete choices carry the id; typed names are looked up by name.
	const found = UUID.test(ref)
		? await db.project.findUnique({ where: { id: ref }, include })
		: await db.project.findUnique({ where: { ownerId_nameKey: { ownerId: actor.userId, nameKey: nameKey(ref) } }, include });
	if (found && may(await accessTo(db, found, actor), 'draw')) {
		const { characters: list, ...project } = found;
		return { project, characters: list };
	}
	// A project of which the user is a member, named by name; or one they may not draw in: the general lookup says what is wrong.
	const project = await findProject(db, actor, ref, 'draw');
	const where = 'where' in characters ? characters.where : {};
	const list = await db.character.findMany({ where: { projectId: project.id, ...where }, take: characters.take, orderBy: { createdAt: 'asc' } });
	return { project, characters: list };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Stores the panel, its characters and its first drawing, admitted like every drawing (./admit.ts): with
 * a free in-flight slot the drawing is leased to the caller, which starts it at once (should the caller
 * die, its lease is freed and a runner picks it up); without one it waits in the user's queue
 * (./queue.ts). The limits are checked again inside the transaction, after taking the user's turn.
 */
export async function createPanel(
	db: Db,
	limits: PanelLimits,
	plan: PanelPlan,
	message: DrawingMessageRef,
	options: { enhance: boolean; takes: number; words?: PanelWords },
	lease: { owner: string; until: Date },
	now = Date.now(),
): Promise<{ panel: Panel; drawing: Drawing; placement: Placement; promoted: readonly string[]; subject: DrawingSubject }> {
	const admitted = await admit(db, limits, newPanelAdmission(plan, options, now), message, lease, now);
	const [drawing] = admitted.drawings;
	if (!drawing) throw new Error('a new panel admitted without its drawing');
	const panel = admitted.content;
	// What its first run would read again (the row, the panel, project and characters): it is all here.
	const subject = newDrawingSubject(drawing, panel, plan.project, plan.characters);
	return { panel, drawing, placement: admitted.placement, promoted: admitted.promoted, subject };
}

/** A new panel: its content, numbered under the project's order lock, and its first drawing. */
function newPanelAdmission(plan: PanelPlan, options: { enhance: boolean; takes: number; words?: PanelWords }, now: number): Admission<Panel> {
	const { request } = plan;
	return {
		ownerId: request.ownerId,
		kind: 'panel',
		// A panel drawn from pictures reserves its engine's price, not a LoRA picture's.
		reserve: () => ({ guildId: request.guildId, buzz: [reservedBuzz(plan.way, options.takes)] }),
		async store(tx) {
			// Numbered under the project's order lock: no move or delete can leave a gap or a duplicate.
			const panel = await createLastPanel(
				tx,
				{
					projectId: plan.project.id,
					characterId: plan.character.id,
					ownerId: request.ownerId,
					prompt: plan.prompt,
					enhance: options.enhance,
					takeCount: options.takes,
					allowMature: request.allowMature,
					guildId: request.guildId,
					caption: options.words?.caption ?? null,
					dialogue: options.words?.dialogue ?? null,
					followPanelId: plan.followPanelId ?? null,
				},
				now,
			);
			await tx.panelCharacter.createMany({
				data: plan.characters.map((character, index) => ({ panelId: panel.id, position: index + 1, characterId: character.id })),
			});
			return { drawings: [{ panelId: panel.id, prompt: plan.prompt }], content: panel };
		},
	};
}
