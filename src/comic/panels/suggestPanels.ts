import type { Db } from '../../db/database.ts';
import { type Actor, visibleTo } from '../access.ts';
import { nameKey } from '../names.ts';

/**
 * Autocomplete of a `panel` number: one indexed query, a project the user may see (src/comic/access.ts). What was typed is
 * a number to start from (the panels from there on), else nothing: the first 25. With `ready` (`/comic panel follow:`),
 * only panels that have their picture.
 */
export async function suggestPanels(
	db: Db,
	actor: Actor,
	projectRef: string,
	typed: string,
	options: { readonly ready?: boolean } = {},
): Promise<{ name: string; value: number }[]> {
	const ref = projectRef.trim();
	if (!ref) return [];
	const from = Number.parseInt(typed, 10);
	const panels = await db.panel.findMany({
		where: {
			project: { AND: [visibleTo(actor), { OR: [{ id: ref }, { nameKey: nameKey(ref) }] }] },
			...(Number.isSafeInteger(from) ? { number: { gte: from } } : {}),
			...(options.ready ? { takes: { some: { chosen: true } } } : {}),
		},
		orderBy: { number: 'asc' },
		take: 25,
		select: { number: true, prompt: true },
	});
	return panels.map((panel) => ({ name: `${panel.number}. ${panel.prompt.replace(/\s+/g, ' ')}`.slice(0, 100), value: panel.number }));
}
