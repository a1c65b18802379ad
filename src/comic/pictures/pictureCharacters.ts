import { createHash } from 'node:crypto';
import { type Character, type Db, lockUser, type Tx } from '../../db/database.ts';
import { checkCharacterRoom, DEFAULT_CHARACTERS_PER_PROJECT } from '../caps.ts';
import { normalizeReference, type NormalizedReference, REFERENCE_MAX_BYTES, ReferencePictureError } from '../../images/reference/normalize.ts';
import { downloadCapped } from '../../net/downloadCapped.ts';
import { HttpError } from '../../net/httpError.ts';
import { findCharacter } from '../characters.ts';
import { UserFacingError } from '../errors.ts';
import { CHARACTER_DESCRIPTION_MAX, CHARACTER_NAME_MAX, REFERENCE_PICTURES_MAX } from '../limits.ts';
import { cleanName, nameKey, quote } from '../names.ts';
import { type Actor, findProject } from '../access.ts';
import { isUniqueViolation } from '../projects.ts';

/** An attachment option as Discord resolved it: its CDN URL (dies within a day), and what it declares. */
export interface AttachmentRef {
	readonly url: string;
	readonly name: string;
	readonly size: number;
	readonly contentType?: string | null | undefined;
}

const DOWNLOAD_TIMEOUT_MS = 15_000;

/**
 * Downloads every attachment at once (Discord's URLs die within a day), checks each is really a picture
 * and makes its kept reference; any problem refuses them all, naming which one and what was wrong, so
 * nothing is half stored. One at a time: at most four pictures of 10 MB are held, one decoded at a time.
 */
export async function fetchReferences(attachments: readonly AttachmentRef[]): Promise<NormalizedReference[]> {
	if (attachments.length === 0) throw new UserFacingError('Attach at least one picture of the character in the `image` option.');
	if (attachments.length > REFERENCE_PICTURES_MAX) throw new UserFacingError(`A character can have at most ${REFERENCE_PICTURES_MAX} pictures.`);
	const kept: NormalizedReference[] = [];
	for (const [index, attachment] of attachments.entries()) {
		const which =
			attachments.length === 1
				? `The picture **${quote(attachment.name.slice(0, 100))}**`
				: `Picture ${index + 1} (**${quote(attachment.name.slice(0, 100))}**)`;
		if (attachment.size > REFERENCE_MAX_BYTES)
			throw new UserFacingError(
				`${which} is too big: ${(attachment.size / 1024 / 1024).toFixed(1)} MB; the limit is 10 MB. Send a smaller picture. Nothing was saved.`,
			);
		let data: Buffer;
		try {
			({ data } = await downloadCapped(attachment.url, { maxBytes: REFERENCE_MAX_BYTES, timeoutMs: DOWNLOAD_TIMEOUT_MS, api: 'Attachment' }));
		} catch (error) {
			if (!(error instanceof HttpError)) throw error;
			if (error.status === 413) throw new UserFacingError(`${which} is too big; the limit is 10 MB. Send a smaller picture. Nothing was saved.`);
			if (error.status === 404 || error.status === 403 || error.status === 410)
				throw new UserFacingError(
					`${which} could not be downloaded from Discord (it answered ${error.status}: the file is gone). Attach it again. Nothing was saved.`,
				);
			throw new UserFacingError(`${which} could not be downloaded from Discord right now. Try again in a minute. Nothing was saved.`);
		}
		try {
			kept.push(await normalizeReference(data));
		} catch (error) {
			if (!(error instanceof ReferencePictureError)) throw error;
			const what = error.problem === 'not-an-image' ? 'is not an image' : error.problem === 'too-big' ? 'is too big' : 'has unusable dimensions';
			throw new UserFacingError(`${which} ${what}: ${error.message}. Nothing was saved.`);
		}
	}
	return kept;
}

function pictureRows(characterId: string, references: readonly NormalizedReference[]) {
	return references.map((reference, index) => ({
		characterId,
		position: index + 1,
		data: new Uint8Array(reference.data),
		width: reference.width,
		height: reference.height,
		size: reference.data.length,
		thumbnail: new Uint8Array(reference.thumbnail),
		sha256: createHash('sha256').update(reference.data).digest('hex'),
	}));
}

function checkName(raw: string | null | undefined): string {
	const name = cleanName(raw ?? '');
	if (!name) throw new UserFacingError('A character made from pictures needs a `name`: type one, e.g. `Mira`.');
	if (name.length > CHARACTER_NAME_MAX)
		throw new UserFacingError(`The character name is ${name.length} characters long; the limit is ${CHARACTER_NAME_MAX}. Choose a shorter name.`);
	return name;
}

export function checkDescription(raw: string | null | undefined): string | null {
	const description = raw?.trim().replace(/\s+/g, ' ') || null;
	if (description && description.length > CHARACTER_DESCRIPTION_MAX)
		throw new UserFacingError(`The description is ${description.length} characters long; the limit is ${CHARACTER_DESCRIPTION_MAX}. Shorten it.`);
	return description;
}

/**
 * A character made from pictures: no LoRA, drawn by an imageGen engine from its reference pictures.
 * Everything is checked (project, name, every picture) before the one transaction that stores it.
 */
export async function addPictureCharacter(
	db: Db,
	input: {
		actor: Actor;
		project: string;
		name: string | null | undefined;
		description?: string | null | undefined;
		attachments: readonly AttachmentRef[];
		/** Shown in an age-restricted channel: the pictures may be mature, so the character is (drawn and shown only there). */
		mature: boolean;
	},
	charactersPerProject = DEFAULT_CHARACTERS_PER_PROJECT,
): Promise<{ character: Character; pictures: number }> {
	const project = await findProject(db, input.actor, input.project, 'draw');
	await checkCharacterRoom(db, project, charactersPerProject);
	const name = checkName(input.name);
	const description = checkDescription(input.description);
	const duplicate = () => new UserFacingError(`A character named **${quote(name)}** already exists in **${quote(project.name)}**. Give this one another name.`);
	const taken = await db.character.findUnique({ where: { projectId_nameKey: { projectId: project.id, nameKey: nameKey(name) } }, select: { id: true } });
	if (taken) throw duplicate();
	const references = await fetchReferences(input.attachments);
	try {
		const character = await db.$transaction(async (tx) => {
			// The cap on characters per project, checked again in the project owner's turn (as for a LoRA character).
			await lockUser(tx, project.ownerId, new Date());
			await checkCharacterRoom(tx, project, charactersPerProject);
			const created = await tx.character.create({
				data: {
					projectId: project.id,
					name,
					nameKey: nameKey(name),
					// No LoRA: the model columns stay empty (older readers keep working).
					lora: false,
					modelId: 0,
					modelVersionId: 0,
					modelName: '',
					versionName: '',
					modelType: 'Pictures',
					baseModel: '',
					air: '',
					trainedWords: [],
					description,
					nsfw: input.mature,
				},
			});
			await tx.characterPicture.createMany({ data: pictureRows(created.id, references) });
			return created;
		});
		return { character, pictures: references.length };
	} catch (error) {
		if (isUniqueViolation(error)) throw duplicate();
		throw error;
	}
}

/**
 * `/comic character pictures`: gives any character (a LoRA one too) these reference pictures, in place of
 * the ones it had; its cached blobs go with the old rows.
 */
export async function setCharacterPictures(
	db: Db,
	input: { actor: Actor; project: string; character: string; attachments: readonly AttachmentRef[]; mature: boolean },
): Promise<{ character: Character; projectName: string; pictures: number }> {
	const project = await findProject(db, input.actor, input.project, 'draw');
	const character = await findCharacter(db, project, input.character);
	const references = await fetchReferences(input.attachments);
	await db.$transaction(async (tx: Tx) => {
		// Deleted between the lookup and now: nothing is stored.
		const still = await tx.character.findUnique({ where: { id: character.id }, select: { id: true } });
		if (!still) throw new UserFacingError(`**${quote(character.name)}** was removed meanwhile. Nothing was saved.`);
		await tx.characterPicture.deleteMany({ where: { characterId: character.id } });
		await tx.characterPicture.createMany({ data: pictureRows(character.id, references) });
		// Pictures from an age-restricted channel make the character mature; never the other way round.
		if (input.mature) await tx.character.update({ where: { id: character.id }, data: { nsfw: true } });
	});
	return { character, projectName: project.name, pictures: references.length };
}

/** The first picture's thumbnail of each of these characters (lists and project overviews). */
export async function thumbnailsOf(
	db: Db,
	characterIds: readonly string[],
	ageRestricted: boolean,
): Promise<Map<string, { thumbnail: Buffer; count: number }>> {
	if (characterIds.length === 0) return new Map();
	// A mature character's pictures are shown only in age-restricted channels, like mature panels.
	const shown = ageRestricted ? {} : { character: { nsfw: false } };
	const [firsts, counts] = await Promise.all([
		db.characterPicture.findMany({ where: { characterId: { in: [...characterIds] }, position: 1, ...shown }, select: { characterId: true, thumbnail: true } }),
		db.characterPicture.groupBy({ by: ['characterId'], where: { characterId: { in: [...characterIds] } }, _count: { _all: true } }),
	]);
	const countOf = new Map(counts.map((row) => [row.characterId, row._count._all]));
	return new Map(firsts.map((row) => [row.characterId, { thumbnail: Buffer.from(row.thumbnail), count: countOf.get(row.characterId) ?? 1 }]));
}

/** How many pictures each of these characters has (0 when none). */
export async function pictureCounts(db: Db | Tx, characterIds: readonly string[]): Promise<Map<string, number>> {
	if (characterIds.length === 0) return new Map();
	const counts = await db.characterPicture.groupBy({ by: ['characterId'], where: { characterId: { in: [...characterIds] } }, _count: { _all: true } });
	return new Map(counts.map((row) => [row.characterId, row._count._all]));
}
