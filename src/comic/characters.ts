import type { CivitaiApi, ModelVersion } from '../civitai/civitaiApi.ts';
import { MODEL_REF_HELP, parseModelRef } from '../civitai/modelRef.ts';
import { type Character, type Db, lockUser, type Project } from '../db/database.ts';
import { checkCharacterRoom, DEFAULT_CHARACTERS_PER_PROJECT } from './caps.ts';
import { HttpError } from '../net/httpError.ts';
import { baseModelGroup, baseModelRefusal, GENERATION_DEFAULTS } from './baseModels.ts';
import { UserFacingError } from './errors.ts';
import { CHARACTER_NAME_MAX, LORA_STRENGTH_MAX, LORA_STRENGTH_MIN } from './limits.ts';
import { cleanName, nameKey, quote } from './names.ts';
import { type Actor, findProject, visibleTo } from './access.ts';
import { isUniqueViolation, literalMatches, suggestionsToRead } from './projects.ts';

export { CHARACTER_NAME_MAX };
const LORA_TYPES = new Set(['lora', 'locon', 'dora']);

/** The NSFW bits of a model version's `nsfwLevel` above PG-13 (4 R, 8 X, 16 XXX, 32 blocked). */
const MATURE_LEVELS = 4 | 8 | 16 | 32;

export async function addCharacter(
	deps: { db: Db; civitai: CivitaiApi },
	input: { actor: Actor; project: string; model: string; name?: string | null | undefined; strength?: number | null | undefined },
	charactersPerProject = DEFAULT_CHARACTERS_PER_PROJECT,
): Promise<Character> {
	const project = await findProject(deps.db, input.actor, input.project, 'draw');
	await checkCharacterRoom(deps.db, project, charactersPerProject);
	const ref = parseModelRef(input.model);
	if (!ref) throw new UserFacingError(`I can't read **${quote(input.model.trim().slice(0, 200))}** as a Civitai model. ${MODEL_REF_HELP}`);
	// A name given by the user is checked before Civitai is asked: its mistakes need no lookup.
	const given = input.name === null || input.name === undefined ? undefined : cleanName(input.name);
	if (given === '') throw new UserFacingError("The character name is empty. Leave the `name` option out to use the model's name, or type a name.");
	if (given && given.length > CHARACTER_NAME_MAX)
		throw new UserFacingError(`The character name is ${given.length} characters long; the limit is ${CHARACTER_NAME_MAX}. Choose a shorter name.`);
	const strength = input.strength ?? 1;
	if (!Number.isFinite(strength) || strength < LORA_STRENGTH_MIN || strength > LORA_STRENGTH_MAX)
		throw new UserFacingError(`The strength must be between ${LORA_STRENGTH_MIN} and ${LORA_STRENGTH_MAX} (1 is the LoRA as trained).`);
	if (given && (await nameTaken(deps.db, project.id, given))) throw duplicate(given, project.name);

	const version = await fetchVersion(deps.civitai, ref);
	const type = version.model.type;
	if (!LORA_TYPES.has(type.toLowerCase()))
		throw new UserFacingError(
			`**${quote(version.model.name)}** is a **${quote(type)}** model, not a LoRA. A character needs a LORA, LoCon or DoRA model from Civitai.`,
		);
	const group = baseModelGroup(version.baseModel);
	if (!group) throw new UserFacingError(baseModelRefusal(quote(version.model.name), quote(version.baseModel)) ?? 'This base model cannot be drawn.');
	if (version.model.poi)
		throw new UserFacingError(`**${quote(version.model.name)}** depicts a real person, and this bot does not draw real people. Choose a fictional character.`);

	const name = given || cleanName(version.model.name).slice(0, CHARACTER_NAME_MAX) || `Model ${version.modelId}`;
	const key = nameKey(name);
	if (!given && (await nameTaken(deps.db, project.id, name))) throw duplicate(name, project.name);

	const air = version.air ?? `urn:air:${GENERATION_DEFAULTS[group].ecosystem}:lora:civitai:${version.modelId}@${version.id}`;
	try {
		// Counted again under the owner's turn: two additions at once cannot both take the last place.
		return await deps.db.$transaction(async (tx) => {
			// The project owner's turn, whoever adds: two editors at once cannot both take the last place.
			await lockUser(tx, project.ownerId, new Date());
			await checkCharacterRoom(tx, project, charactersPerProject);
			return tx.character.create({
				data: {
					projectId: project.id,
					name,
					nameKey: key,
					modelId: version.modelId,
					modelVersionId: version.id,
					modelName: version.model.name,
					versionName: version.name,
					modelType: type,
					baseModel: version.baseModel,
					air,
					trainedWords: version.trainedWords,
					strength,
					nsfw: Boolean(version.model.nsfw) || ((version.nsfwLevel ?? 0) & MATURE_LEVELS) !== 0,
				},
			});
		});
	} catch (error) {
		if (isUniqueViolation(error)) throw duplicate(name, project.name);
		throw error;
	}
}

async function nameTaken(db: Db, projectId: string, name: string): Promise<boolean> {
	const existing = await db.character.findUnique({ where: { projectId_nameKey: { projectId, nameKey: nameKey(name) } }, select: { id: true } });
	return existing !== null;
}

function duplicate(name: string, project: string): UserFacingError {
	return new UserFacingError(
		`A character named **${quote(name)}** already exists in **${quote(project)}**. Give this one another name with the \`name\` option.`,
	);
}

async function fetchVersion(civitai: CivitaiApi, ref: NonNullable<ReturnType<typeof parseModelRef>>): Promise<ModelVersion> {
	try {
		if (ref.kind === 'version') return await civitai.getModelVersion(ref.versionId);
		const latest = await civitai.getLatestModelVersion(ref.modelId);
		if (!latest) throw new UserFacingError(`Civitai model ${ref.modelId} has no published version yet. Pick a version that exists.`);
		return latest;
	} catch (error) {
		if (!(error instanceof HttpError)) throw error;
		const what = ref.kind === 'version' ? `model version ${ref.versionId}` : `model ${ref.modelId}`;
		if (error.status === 404)
			throw new UserFacingError(`Civitai ${what} was not found (it may be unpublished or hidden). Check the id or link. ${MODEL_REF_HELP}`);
		if (error.status === 400) throw new UserFacingError(`Civitai refused ${what} as malformed. ${MODEL_REF_HELP}`);
		if (error.status === 0 || error.status >= 500 || error.status === 429)
			throw new UserFacingError('Civitai is not answering right now, so I could not look the model up. Nothing was saved; try again in a minute.');
		throw error;
	}
}

export function trainedWordsOf(character: { readonly trainedWords: unknown }): string[] {
	const words = character.trainedWords;
	return Array.isArray(words) ? words.filter((word): word is string => typeof word === 'string') : [];
}

/** A character of the project named by `ref`: the id an autocomplete choice carries, or the name as typed. */
export async function findCharacter(db: Db, project: Pick<Project, 'id' | 'name'>, ref: string): Promise<Character> {
	const text = ref.trim();
	if (!text) throw new UserFacingError(`Choose one of the characters of **${quote(project.name)}** in the \`character\` option.`);
	const found =
		(await db.character.findUnique({ where: { projectId_nameKey: { projectId: project.id, nameKey: nameKey(text) } } })) ??
		(await db.character.findFirst({ where: { id: text, projectId: project.id } }));
	if (found) return found;
	throw new UserFacingError(
		`**${quote(project.name)}** has no character named **${quote(text.slice(0, CHARACTER_NAME_MAX))}**. See its characters with \`/comic character list\`.`,
	);
}

/** A project the user may read, with its characters, oldest first, and how many panels each one is in. */
export async function listCharacters(db: Db, actor: Actor, projectRef: string) {
	const project = await findProject(db, actor, projectRef, 'read');
	const characters = await db.character.findMany({
		where: { projectId: project.id },
		orderBy: { createdAt: 'asc' },
		include: { _count: { select: { panels: true } } },
	});
	return { project, characters };
}

/**
 * Autocomplete: at most 25 characters of the project typed in the `project` option (by id or name),
 * only when the user may see it (src/comic/access.ts). One query, served by the unique indexes.
 */
export async function suggestCharacters(db: Db, actor: Actor, projectRef: string, typed: string): Promise<{ name: string; value: string }[]> {
	const ref = projectRef.trim();
	if (!ref) return [];
	const key = nameKey(typed.slice(0, CHARACTER_NAME_MAX));
	const characters = await db.character.findMany({
		where: {
			project: { AND: [visibleTo(actor), { OR: [{ id: ref }, { nameKey: nameKey(ref) }] }] },
			...(key ? { nameKey: { contains: key } } : {}),
		},
		orderBy: { createdAt: 'asc' },
		take: suggestionsToRead(key),
		select: { id: true, name: true, nameKey: true },
	});
	return literalMatches(characters, key).map((character) => ({ name: character.name.slice(0, 100), value: character.id }));
}
