import { type ContactSheet, contactSheet } from '../../images/index.ts';
import { EXPORT_PANELS_MAX } from '../limits.ts';
import { type ComicDeps, comicPanels } from './comicPanels.ts';

/**
 * Numbered thumbnails of a project's ready panels (lettered) for `/comic project show`: the last
 * {@link EXPORT_PANELS_MAX} panels when there are more. Undefined when none is ready.
 */
export async function projectContactSheet(deps: ComicDeps, projectId: string): Promise<ContactSheet | undefined> {
	const last = await deps.db.panel.findFirst({ where: { projectId }, orderBy: { number: 'desc' }, select: { number: true } });
	if (!last) return undefined;
	const { ready } = await comicPanels(deps, projectId, { from: Math.max(1, last.number - EXPORT_PANELS_MAX + 1), to: last.number });
	return ready.length ? contactSheet(ready) : undefined;
}
