import { z } from 'zod';
import type { PrismaClient as Db } from './generated/postgres/client.ts';

/** A boolean on PostgreSQL, 0/1 on SQLite. */
const flag = z.union([z.boolean(), z.number(), z.bigint()]).transform((value) => value === true || Number(value) === 1);
const optionalNumber = z.union([z.number(), z.bigint(), z.string(), z.null()]).transform((value) => (value === null ? null : Number(value)));

const rowSchema = z.object({
	ownerWaiting: flag,
	published: flag,
	panelCost: optionalNumber,
	// The drawing's takes, one row each (LEFT JOIN): all null when it has none.
	id: z.string().nullable(),
	index: optionalNumber,
	imagePath: z.string().nullable(),
	imageMime: z.string().nullable(),
	letteredPath: z.string().nullable(),
	seed: optionalNumber,
	chosen: flag.nullable(),
	mature: flag.nullable(),
});

/** A take of the drawing as showing it needs (the fields of src/comic/takes/takes.ts's `takesOf`). */
export interface DeliveredTake {
	readonly id: string;
	readonly index: number;
	readonly imagePath: string;
	readonly imageMime: string;
	readonly letteredPath: string | null;
	readonly seed: number | null;
	readonly chosen: boolean;
	readonly mature: boolean;
}

/** What the delivery of a drawing reads, at its start. */
export interface DeliveryReads {
	/** Its owner has a drawing waiting for an in-flight slot (this one's is free now). */
	readonly ownerWaiting: boolean;
	/** The project has a published post (or one being published): its posts are marked when a panel is ready. */
	readonly published: boolean;
	/** The Buzz spent on the panel: the sum over its drawings (null when none has a cost). */
	readonly panelCost: number | null;
	/** The drawing's takes, in order. */
	readonly takes: readonly DeliveredTake[];
}

/**
 * The reads of a drawing's delivery in one statement (scalar subqueries joined to the drawing's takes,
 * in SQL both databases speak): whether its owner has a drawing waiting, whether the project was
 * published, the panel's cost, and the takes to show. Read once the drawing's outcome (its takes, its
 * cost, ready or failed) is stored, as the separate reads were.
 */
export async function deliveryReads(
	db: Db,
	drawing: { readonly id: string; readonly ownerId: string; readonly panelId: string; readonly projectId: string },
): Promise<DeliveryReads> {
	const rows: unknown = await db.$queryRaw`/* delivery */ SELECT s."ownerWaiting", s."published", s."panelCost",
		t."id", t."index", t."imagePath", t."imageMime", t."letteredPath", t."seed", t."chosen", t."mature"
		FROM (SELECT
			EXISTS (SELECT 1 FROM "Drawing" WHERE "ownerId" = ${drawing.ownerId} AND "status" = 'waiting') AS "ownerWaiting",
			EXISTS (SELECT 1 FROM "PublishedPost" WHERE "projectId" = ${drawing.projectId}) AS "published",
			(SELECT SUM("cost") FROM "Drawing" WHERE "panelId" = ${drawing.panelId}) AS "panelCost") s
		LEFT JOIN "Take" t ON t."drawingId" = ${drawing.id}
		ORDER BY t."index"`;
	const parsed = z.array(rowSchema).parse(rows);
	const [first] = parsed;
	if (!first) throw new Error('the delivery read returned no row');
	const takes: DeliveredTake[] = [];
	for (const row of parsed) {
		if (row.id === null || row.index === null || row.imagePath === null || row.imageMime === null) continue;
		takes.push({
			id: row.id,
			index: row.index,
			imagePath: row.imagePath,
			imageMime: row.imageMime,
			letteredPath: row.letteredPath,
			seed: row.seed,
			chosen: row.chosen ?? false,
			mature: row.mature ?? false,
		});
	}
	return { ownerWaiting: first.ownerWaiting, published: first.published, panelCost: first.panelCost, takes };
}
