import { z } from 'zod';
import type { PrismaClient as Db } from './generated/postgres/client.ts';

const rowSchema = z.object({
	id: z.string(),
	name: z.string(),
	// A boolean on PostgreSQL, 0/1 on SQLite.
	lora: z.union([z.boolean(), z.number(), z.bigint()]).transform((value) => value === true || Number(value) === 1),
	description: z.string().nullable(),
	baseModel: z.string(),
	air: z.string(),
	// JSON: an array on PostgreSQL, its text on SQLite.
	trainedWords: z.unknown().transform((value): unknown => {
		if (typeof value !== 'string') return value;
		try {
			return JSON.parse(value);
		} catch {
			return [];
		}
	}),
	strength: z.coerce.number(),
	// A boolean on PostgreSQL, 0 or 1 on SQLite.
	nsfw: z.union([z.boolean(), z.number(), z.bigint()]).transform((value) => value === true || Number(value) === 1),
});

export type PanelCharacterRow = z.output<typeof rowSchema>;

/**
 * The characters of a panel in order, in one statement. Prisma reads a relation with queries of its
 * own inside a transaction, which on SQLite holds the write lock while it reads: this runs on every
 * drawing's first step, next to other processes' writes.
 */
export async function panelCharacters(db: Db, panelId: string): Promise<PanelCharacterRow[]> {
	const rows: unknown =
		await db.$queryRaw`SELECT c."id", c."name", c."lora", c."description", c."baseModel", c."air", c."trainedWords", c."strength", c."nsfw" FROM "PanelCharacter" pc JOIN "Character" c ON c."id" = pc."characterId" WHERE pc."panelId" = ${panelId} ORDER BY pc."position"`;
	return z.array(rowSchema).parse(rows);
}
