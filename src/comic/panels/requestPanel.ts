import { recordDrawingUsage } from '../../accounts/ledger.ts';
import { accessFor } from '../../accounts/settings.ts';
import { type Character, type Db, type Drawing, lockUser, type Panel, type Project } from '../../db/database.ts';
import { chooseWay, type Way } from '../engines/chooseWay.ts';
import { reservedBuzz } from '../engines/reserve.ts';
import { pictureCounts } from '../pictures/pictureCharacters.ts';
import { pickCharacters } from './panelCharacters.ts';
import { type Placement, placeNext, promoteAfterCreate } from './queue.ts';
import { UserFacingError } from '../errors.ts';
import { PANEL_PROMPT_MAX } from '../limits.ts';
import { nameKey, quote } from '../names.ts';
import type { PanelWords } from '../lettering/words.ts';
import { findOwnProject, isUniqueViolation } from '../projects.ts';
import { checkLimits, type PanelLimits } from './checkLimits.ts';
import { checkFollow } from './followPanel.ts';
import { insertDrawing, type PanelMessageRef } from './newDrawing.ts';
import { nextPanelNumber } from './order.ts';

export { PANEL_PROMPT_MAX };
export type { PanelLimits, PanelMessageRef };

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
	/** The project's highest panel number when it was planned (saves a query before the acknowledgement). */
	readonly lastNumber: number;
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
	// Two queries in the usual case (project with its candidate characters; the user's recent panels):
	// this runs before the acknowledgement, for every panel, when many people draw at once.
	const found = await findProjectWithCharacters(db, request.ownerId, request.project, request.character, prompt.includes('@'));
	const { project, lastNumber } = found;
	const characters = pickCharacters(project, found.characters, request.character, prompt);
	for (const character of characters)
		if (character.nsfw && !request.allowMature)
			throw new UserFacingError(`**${quote(character.name)}** uses a model marked as mature, so it can only be drawn in an age-restricted channel.`);
	// One way of drawing per panel: refused here, before anything is stored, when the cast cannot share one.
	const way = await wayFor(db, project, characters);
	const followPanelId = await checkFollow(db, project, request.follow, way, characters.length, request.allowMature);
	const access = await accessFor(db, limits, request); // accounts: server settings and the user's own key
	// A panel drawn from pictures reserves its engine's price, not a LoRA picture's (docs/decisions/016-limits-ledger.md ("Drawings from pictures")).
	await checkLimits(db, access.limits, request, now, 1, reservedBuzz(way, request.takes ?? 1));
	const [character] = characters;
	if (!character) throw new Error('a panel without characters');
	return { project, character, characters, prompt, request, lastNumber, enhanceDefault: access.enhanceDefault, way, followPanelId };
}

/** How this cast is drawn in this project; asks the database only when pictures can matter. */
async function wayFor(db: Db, project: Project, characters: readonly Character[]): Promise<Way> {
	if (project.engine === 'auto' && characters.every((character) => character.lora)) return { kind: 'checkpoint' };
	const counts = await pictureCounts(
		db,
		characters.map((character) => character.id),
	);
	return chooseWay(
		project.engine,
		characters.map((character) => ({ name: character.name, lora: character.lora, pictures: counts.get(character.id) ?? 0 })),
	);
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
	ownerId: string,
	projectRef: string,
	characterRef: string | null | undefined,
	mentions: boolean,
): Promise<{ project: Project; characters: Character[]; lastNumber: number }> {
	const text = characterRef?.trim();
	// A prompt with `@` may mention any of them; otherwise the one named, or two to tell "only one" from "several".
	const characters = mentions
		? { take: 200, orderBy: { createdAt: 'asc' as const } }
		: text
			? { where: { OR: [{ nameKey: nameKey(text) }, { id: text }] }, take: 1 }
			: { take: 2, orderBy: { createdAt: 'asc' as const } };
	const ref = projectRef.trim();
	const include = { characters, panels: { orderBy: { number: 'desc' as const }, take: 1, select: { number: true } } };
	// Autocomplete choices carry the id; typed names are looked up by name.
	const found = UUID.test(ref)
		? await db.project.findUnique({ where: { id: ref }, include })
		: await db.project.findUnique({ where: { ownerId_nameKey: { ownerId, nameKey: nameKey(ref) } }, include });
	if (found && found.ownerId === ownerId) {
		const { characters: list, panels, ...project } = found;
		return { project, characters: list, lastNumber: panels[0]?.number ?? 0 };
	}
	// Someone else's id, or a name that looks like an id: the general lookup says what is wrong.
	const project = await findOwnProject(db, ownerId, ref);
	const where = 'where' in characters ? characters.where : {};
	const list = await db.character.findMany({ where: { projectId: project.id, ...where }, take: characters.take, orderBy: { createdAt: 'asc' } });
	return { project, characters: list, lastNumber: 0 };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Stores the panel, its characters and its first drawing. With a free in-flight slot the drawing is
 * leased to the caller, which starts it at once (should the caller die, its lease is freed and a
 * runner picks it up); without one it waits in the user's queue (./queue.ts). The limits are checked
 * again inside the transaction, after taking the user's turn: two commands of one user at the same
 * instant cannot both take the last slot.
 */
export async function createPanel(
	db: Db,
	limits: PanelLimits,
	plan: PanelPlan,
	message: PanelMessageRef,
	options: { enhance: boolean; takes: number; words?: PanelWords },
	lease: { owner: string; until: Date },
	now = Date.now(),
): Promise<{ panel: Panel; drawing: Drawing; placement: Placement; promoted: string[] }> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await db.$transaction(async (tx) => {
				await lockUser(tx, plan.request.ownerId, new Date(now));
				// accounts: read again in the turn, and whose key pays is fixed on the drawing
				const access = await accessFor(tx, limits, plan.request);
				const buzz = reservedBuzz(plan.way, options.takes);
				await checkLimits(tx, access.limits, plan.request, now, 1, buzz);
				const placement = await placeNext(tx, access.limits, plan.request.ownerId);
				const panel = await tx.panel.create({
					data: {
						projectId: plan.project.id,
						characterId: plan.character.id,
						// Read under the project's order lock: no move or delete can leave a gap or a duplicate.
						number: await nextPanelNumber(tx, plan.project.id),
						ownerId: plan.request.ownerId,
						prompt: plan.prompt,
						enhance: options.enhance,
						takeCount: options.takes,
						allowMature: plan.request.allowMature,
						guildId: plan.request.guildId,
						caption: options.words?.caption ?? null,
						dialogue: options.words?.dialogue ?? null,
						followPanelId: plan.followPanelId ?? null,
					},
				});
				await tx.panelCharacter.createMany({
					data: plan.characters.map((character, index) => ({ panelId: panel.id, position: index + 1, characterId: character.id })),
				});
				const drawing = await insertDrawing(
					tx,
					{ panelId: panel.id, ownerId: plan.request.ownerId, guildId: plan.request.guildId, prompt: plan.prompt, paidBy: access.paidBy },
					message,
					lease,
					now,
					placement,
				);
				// The limits ledger, in the same transaction: no later delete gives this drawing back.
				const { ownerId: userId, guildId } = plan.request;
				await recordDrawingUsage(tx, { drawingId: drawing.id, userId, guildId, kind: 'panel', paidBy: access.paidBy, buzzEstimated: buzz }, now);
				// Older waiting drawings with a free slot (a crash left them): they start first, in order.
				const promoted = placement.status === 'waiting' ? await promoteAfterCreate(tx, access.limits, plan.request.ownerId, now) : [];
				return { panel, drawing, placement, promoted };
			});
		} catch (error) {
			// The number is read under the order lock, so this is only a safety net.
			if (!isUniqueViolation(error) || attempt >= 5) throw error;
		}
	}
}
