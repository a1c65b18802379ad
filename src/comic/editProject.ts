import type { Db, Project } from '../db/database.ts';
import { ENGINES, isEngineChoice } from './engines/engines.ts';
import { UserFacingError } from './errors.ts';
import { PROJECT_DESCRIPTION_MAX, PROJECT_NAME_MAX, READINGS } from './limits.ts';
import { cleanName, nameKey, quote } from './names.ts';
import { type Actor, findProject } from './access.ts';
import { isUniqueViolation } from './projects.ts';

export interface ProjectEdit {
	readonly name?: string | null | undefined;
	readonly description?: string | null | undefined;
	readonly engine?: string | null | undefined;
	/** `ltr` or `rtl` (manga). */
	readonly reading?: string | null | undefined;
}

/** `/comic project edit`: a new name, description or engine; everything checked before the one update. */
export async function editProject(db: Db, actor: Actor, projectRef: string, edit: ProjectEdit): Promise<{ before: Project; after: Project }> {
	// The owner's alone: the name, the description and the engine every member draws with.
	const project = await findProject(db, actor, projectRef, 'own');
	const data: { name?: string; nameKey?: string; description?: string | null; engine?: string; reading?: string } = {};
	if (edit.name !== null && edit.name !== undefined) {
		const name = cleanName(edit.name);
		if (!name) throw new UserFacingError('The new name is empty. Give the project a name of 1 to 100 characters.');
		if (name.length > PROJECT_NAME_MAX) throw new UserFacingError(`The new name is ${name.length} characters long; the limit is ${PROJECT_NAME_MAX}.`);
		data.name = name;
		data.nameKey = nameKey(name);
	}
	if (edit.description !== null && edit.description !== undefined) {
		const description = edit.description.trim();
		if (description.length > PROJECT_DESCRIPTION_MAX)
			throw new UserFacingError(`The description is ${description.length} characters long; the limit is ${PROJECT_DESCRIPTION_MAX}. Shorten it.`);
		data.description = description || null;
	}
	if (edit.engine !== null && edit.engine !== undefined) {
		if (!isEngineChoice(edit.engine))
			throw new UserFacingError(
				`There is no engine **${quote(edit.engine.slice(0, 40))}**. Choose \`auto\` or one of ${Object.keys(ENGINES)
					.map((name) => `\`${name}\``)
					.join(', ')}.`,
			);
		data.engine = edit.engine;
	}
	if (edit.reading !== null && edit.reading !== undefined) {
		if (!isReading(edit.reading)) throw new UserFacingError('Choose `reading` as `ltr` (left to right) or `rtl` (right to left, as manga read).');
		data.reading = edit.reading;
	}
	if (Object.keys(data).length === 0) throw new UserFacingError('Nothing to change: give a new `name`, `description`, `engine` or `reading`.');
	try {
		const after = await db.project.update({ where: { id: project.id }, data });
		return { before: project, after };
	} catch (error) {
		if (isUniqueViolation(error)) throw new UserFacingError(`You already have a project named **${quote(data.name ?? '')}**. Pick another name.`);
		throw error;
	}
}

/** An engine setting in words, for replies and Details. */
export function engineLabel(engine: string): string {
	if (engine === 'auto') return 'auto (LoRA characters → their checkpoint; picture characters → Nano Banana 2)';
	if (engine === 'checkpoint') return 'the LoRA’s checkpoint (textToImage)';
	const row = Object.values(ENGINES).find((candidate) => candidate.name === engine);
	return row ? `${row.label} (\`${row.name}\`)` : engine;
}

/** A project's reading direction as stored (`Project.reading`). */
export type Reading = (typeof READINGS)[number];

export function isReading(value: string): value is Reading {
	return READINGS.some((reading) => reading === value);
}

/** A reading direction in words, for replies and `/comic project show`. */
export function readingLabel(reading: string): string {
	return reading === 'rtl' ? 'right to left (manga)' : 'left to right';
}
