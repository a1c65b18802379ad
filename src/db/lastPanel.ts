import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Panel } from './generated/postgres/client.ts';
import type { Tx } from './lockUser.ts';

/** A new panel's content; its number is the project's next. */
export type NewPanel = Omit<Panel, 'id' | 'number' | 'storyId' | 'createdAt'>;

const rowSchema = z.object({ number: z.coerce.number() });

/**
 * Stores a new panel numbered after the project's last one, in one statement: the number is read by
 * the insert itself (a scalar subquery in its VALUES, SQL both databases speak) instead of a read
 * before it. Call it after the project's order lock (src/comic/panels/order.ts, `lockOrder`), a
 * statement of its own: on PostgreSQL a statement reads what was committed when it starts, so the lock
 * must be held before this one starts.
 */
export async function insertLastPanel(tx: Tx, panel: NewPanel, createdAt: Date): Promise<Panel> {
	const id = randomUUID();
	const rows: unknown = await tx.$queryRaw`/* new panel */ INSERT INTO "Panel"
		("id", "projectId", "characterId", "number", "ownerId", "prompt", "enhance", "allowMature", "guildId", "takeCount", "caption", "dialogue", "followPanelId", "createdAt")
		VALUES (${id}, ${panel.projectId}, ${panel.characterId},
			(SELECT COALESCE(MAX("number"), 0) + 1 FROM "Panel" WHERE "projectId" = ${panel.projectId}),
			${panel.ownerId}, ${panel.prompt}, ${panel.enhance}, ${panel.allowMature}, ${panel.guildId}, ${panel.takeCount},
			${panel.caption}, ${panel.dialogue}, ${panel.followPanelId}, ${createdAt})
		RETURNING "number"`;
	const [row] = z.array(rowSchema).parse(rows);
	if (!row) throw new Error('a new panel was not stored');
	return { ...panel, id, number: row.number, storyId: null, createdAt };
}
