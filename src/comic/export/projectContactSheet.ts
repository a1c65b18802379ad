import { type ContactSheet, contactSheet } from '../../images/index.ts';
import { EXPORT_PANELS_MAX } from '../limits.ts';
import { type ComicDeps, comicPanels } from './comicPanels.ts';

/**
 * Numbered thumbnails of a project's ready panels (lettered) for `/comic project show`: the last
 * {@link EXPORT_PANELS_MAX} panels when there are more, mature pictures only in age-restricted
 * channels. `sheet` is undefined when none is shown; `withheld` names the panels left out.
 */
export async function projectContactSheet(
	deps: ComicDeps,
	projectId: string,
	ageRestricted: boolean,
): Promise<{ sheet: ContactSheet | undefined; withheld: readonly number[] }> {
	const last = await deps.db.panel.findFirst({ where: { projectId }, orderBy: { number: 'desc' }, select: { number: true } });
	if (!last) return { sheet: undefined, withheld: [] };
	const range = { from: Math.max(1, last.number - EXPORT_PANELS_MAX + 1), to: last.number };
	const make = async () => {
		const { ready, withheld } = await comicPanels(deps, projectId, { range, ageRestricted, prepare: 'now' });
		return { sheet: ready.length ? await contactSheet(ready) : undefined, withheld };
	};
	return deps.renders ? deps.renders.run(make) : make();
}
