import { z } from 'zod';
import { Prisma, type PrismaClient as Db } from './generated/postgres/client.ts';
import type { PanelCharacterRow } from './panelCharacters.ts';

/** A boolean on PostgreSQL, 0/1 on SQLite. */
const flag = z.union([z.boolean(), z.number(), z.bigint()]).transform((value) => value === true || Number(value) === 1);
/** JSON: the value on PostgreSQL, its text on SQLite. */
const json = z.unknown().transform((value): unknown => {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch {
		return [];
	}
});

const rowSchema = z.object({
	id: z.string(),
	number: z.coerce.number(),
	prompt: z.string(),
	enhance: flag,
	allowMature: flag,
	takeCount: z.coerce.number(),
	projectId: z.string(),
	storyId: z.string().nullable(),
	caption: z.string().nullable(),
	dialogue: z.string().nullable(),
	followPanelId: z.string().nullable(),
	projectName: z.string(),
	projectDescription: z.string().nullable(),
	projectEngine: z.string(),
	characterId: z.string().nullable(),
	characterName: z.string().nullable(),
	characterLora: flag.nullable(),
	characterDescription: z.string().nullable(),
	characterBaseModel: z.string().nullable(),
	characterAir: z.string().nullable(),
	characterTrainedWords: json,
	characterStrength: z.coerce.number().nullable(),
	characterNsfw: flag.nullable(),
	// The panel's characters (PanelCharacter), one row each, in order; null when it has none.
	memberId: z.string().nullable(),
	memberName: z.string().nullable(),
	memberLora: flag.nullable(),
	memberDescription: z.string().nullable(),
	memberBaseModel: z.string().nullable(),
	memberAir: z.string().nullable(),
	memberTrainedWords: json,
	memberStrength: z.coerce.number().nullable(),
	memberNsfw: flag.nullable(),
});

export interface DrawingPanel {
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
		/** The panel whose picture it follows (`/comic panel follow:`), or null. */
		readonly followPanelId: string | null;
	};
	readonly project: { readonly name: string; readonly description: string | null; readonly engine: string };
	/** The panel's one character of before several characters (its `characterId`), if any. */
	readonly character: PanelCharacterRow | null;
	/** Everyone in the panel (PanelCharacter), in order; empty for older panels. */
	readonly members: PanelCharacterRow[];
}

/**
 * Panels with their project, (older panels') character and the characters in them, as a drawing's steps
 * need them, in one statement for any number of panels: Prisma reads each relation with a statement
 * of its own (four for a panel, its project, its character and its characters). A panel that is gone
 * is missing from the map.
 */
export async function drawingPanels(db: Db, panelIds: readonly string[]): Promise<Map<string, DrawingPanel>> {
	const found = new Map<string, DrawingPanel>();
	if (panelIds.length === 0) return found;
	const rows: unknown =
		await db.$queryRaw`/* drawing panels */ SELECT p."id", p."number", p."prompt", p."enhance", p."allowMature", p."takeCount", p."projectId", p."storyId", p."caption", p."dialogue", p."followPanelId",
		pr."name" AS "projectName", pr."description" AS "projectDescription", pr."engine" AS "projectEngine",
		c."id" AS "characterId", c."name" AS "characterName", c."lora" AS "characterLora", c."description" AS "characterDescription", c."baseModel" AS "characterBaseModel",
		c."air" AS "characterAir", c."trainedWords" AS "characterTrainedWords", c."strength" AS "characterStrength", c."nsfw" AS "characterNsfw",
		m."id" AS "memberId", m."name" AS "memberName", m."lora" AS "memberLora", m."description" AS "memberDescription", m."baseModel" AS "memberBaseModel",
		m."air" AS "memberAir", m."trainedWords" AS "memberTrainedWords", m."strength" AS "memberStrength", m."nsfw" AS "memberNsfw"
		FROM "Panel" p JOIN "Project" pr ON pr."id" = p."projectId" LEFT JOIN "Character" c ON c."id" = p."characterId"
		LEFT JOIN "PanelCharacter" pc ON pc."panelId" = p."id" LEFT JOIN "Character" m ON m."id" = pc."characterId"
		WHERE p."id" IN (${Prisma.join([...panelIds])})
		ORDER BY p."id", pc."position"`;
	for (const row of z.array(rowSchema).parse(rows)) {
		const member = characterOf(row, 'member');
		const known = found.get(row.id);
		if (known) {
			if (member) known.members.push(member);
			continue;
		}
		const character = characterOf(row, 'character');
		found.set(row.id, {
			panel: {
				id: row.id,
				number: row.number,
				prompt: row.prompt,
				enhance: row.enhance,
				allowMature: row.allowMature,
				takeCount: row.takeCount,
				projectId: row.projectId,
				storyId: row.storyId,
				caption: row.caption,
				dialogue: row.dialogue,
				followPanelId: row.followPanelId,
			},
			project: { name: row.projectName, description: row.projectDescription, engine: row.projectEngine },
			character,
			members: member ? [member] : [],
		});
	}
	return found;
}

/** The row's (older panels') character or one of its panel's characters, by column prefix; null when the join found none. */
function characterOf(row: z.infer<typeof rowSchema>, prefix: 'character' | 'member'): PanelCharacterRow | null {
	const id = row[`${prefix}Id`];
	if (id === null) return null;
	return {
		id,
		name: row[`${prefix}Name`] ?? '',
		lora: row[`${prefix}Lora`] ?? true,
		description: row[`${prefix}Description`],
		baseModel: row[`${prefix}BaseModel`] ?? '',
		air: row[`${prefix}Air`] ?? '',
		trainedWords: row[`${prefix}TrainedWords`],
		strength: row[`${prefix}Strength`] ?? 1,
		nsfw: row[`${prefix}Nsfw`] ?? false,
	};
}
