import { type Character, type Db, type Drawing, lockUser, type Panel, type Project, type Tx } from '../../db/database.ts';
import { pickCharacters } from './panelCharacters.ts';
import { checkQueueRoom, type Placement, placeNext, promoteAfterCreate } from './queue.ts';
import { UserFacingError } from '../errors.ts';
import { PANEL_PROMPT_MAX } from '../limits.ts';
import { nameKey, quote } from '../names.ts';
import { findOwnProject, isUniqueViolation } from '../projects.ts';

export { PANEL_PROMPT_MAX };
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PanelLimits {
	readonly inFlightPerUser: number;
	readonly perUserPerDay: number;
	readonly perGuildPerDay?: number | undefined;
	/** Panels of one user that may wait for a slot (MAX_PANELS_QUEUED_PER_USER); beyond, a refusal. */
	readonly queuedPerUser?: number | undefined;
}

export interface PanelRequest {
	readonly ownerId: string;
	readonly project: string;
	readonly character?: string | null | undefined;
	readonly prompt: string;
	readonly guildId: string | null;
	/** An age-restricted guild channel: mature models and images are allowed there (not in DMs). */
	readonly allowMature: boolean;
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
	await checkLimits(db, limits, request, now);
	const [character] = characters;
	if (!character) throw new Error('a panel without characters');
	return { project, character, characters, prompt, request, lastNumber };
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

export async function checkLimits(db: Db | Tx, limits: PanelLimits, request: Pick<PanelRequest, 'ownerId' | 'guildId'>, now: number, count = 1): Promise<void> {
	// One query for both per-user limits: drawings in flight are always recent (they time out after 25 minutes).
	const since = new Date(now - DAY_MS);
	const mine = await db.drawing.findMany({
		where: { ownerId: request.ownerId, createdAt: { gte: since } },
		select: { createdAt: true, status: true },
		orderBy: { createdAt: 'asc' },
		take: limits.perUserPerDay,
	});
	// Over the in-flight limit a panel waits for a slot (./queue.ts), up to the queue's bound.
	checkQueueRoom(limits, mine, count);
	if (mine.length + count > limits.perUserPerDay)
		throw new UserFacingError(
			count === 1 || mine.length >= limits.perUserPerDay
				? `You have drawn ${mine.length} panels in the last 24 hours, the daily limit. ${retryAt(mine[0]?.createdAt, 'You can draw again')}`
				: `These ${count} panels would pass your daily limit of ${limits.perUserPerDay} panels: you have drawn ${mine.length} in the last 24 hours. Nothing was drawn.`,
		);

	if (limits.perGuildPerDay !== undefined && request.guildId) {
		const guild = await db.drawing.findMany({
			where: { guildId: request.guildId, createdAt: { gte: since } },
			select: { createdAt: true },
			orderBy: { createdAt: 'asc' },
			take: limits.perGuildPerDay,
		});
		if (guild.length + count > limits.perGuildPerDay)
			throw new UserFacingError(
				`This server has drawn ${limits.perGuildPerDay} panels in the last 24 hours, its daily limit. ${retryAt(guild[0]?.createdAt, 'Panels can be drawn here again')}`,
			);
	}
}

/** "… <t:…:R>": Discord shows the time in each reader's own zone and language. */
function retryAt(oldest: Date | undefined, lead: string): string {
	if (!oldest) return '';
	return `${lead} <t:${Math.ceil((oldest.getTime() + DAY_MS) / 1000)}:R>.`;
}

export interface PanelMessageRef {
	readonly applicationId: string;
	readonly interactionId: string;
	readonly interactionToken: string;
	readonly interactionCreatedAt: Date;
	readonly channelId: string;
	readonly messageId: string | null;
}

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
	options: { enhance: boolean; takes: number },
	lease: { owner: string; until: Date },
	now = Date.now(),
): Promise<{ panel: Panel; drawing: Drawing; placement: Placement; promoted: string[] }> {
	let last = plan.lastNumber;
	for (let attempt = 0; ; attempt++) {
		try {
			return await db.$transaction(async (tx) => {
				await lockUser(tx, plan.request.ownerId, new Date(now));
				await checkLimits(tx, limits, plan.request, now);
				const placement = await placeNext(tx, limits, plan.request.ownerId);
				const panel = await tx.panel.create({
					data: {
						projectId: plan.project.id,
						characterId: plan.character.id,
						number: last + 1,
						ownerId: plan.request.ownerId,
						prompt: plan.prompt,
						enhance: options.enhance,
						takeCount: options.takes,
						allowMature: plan.request.allowMature,
						guildId: plan.request.guildId,
					},
				});
				await tx.panelCharacter.createMany({
					data: plan.characters.map((character, index) => ({ panelId: panel.id, position: index + 1, characterId: character.id })),
				});
				const waits = placement.status === 'waiting';
				const drawing = await tx.drawing.create({
					data: {
						panelId: panel.id,
						ownerId: plan.request.ownerId,
						guildId: plan.request.guildId,
						...message,
						status: placement.status,
						...(waits ? {} : { dueAt: new Date(now), leaseOwner: lease.owner, leaseUntil: lease.until }),
					},
				});
				// Older waiting drawings with a free slot (a crash left them): they start first, in order.
				const promoted = waits ? await promoteAfterCreate(tx, limits, plan.request.ownerId, now) : [];
				return { panel, drawing, placement, promoted };
			});
		} catch (error) {
			// Another panel of the project took the number meanwhile: read the highest and take the next.
			if (!isUniqueViolation(error) || attempt >= 5) throw error;
			last = (await db.panel.findFirst({ where: { projectId: plan.project.id }, orderBy: { number: 'desc' }, select: { number: true } }))?.number ?? 0;
		}
	}
}
