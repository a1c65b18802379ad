import { collect, planPages, renderPages } from '../../images/index.ts';
import { UserFacingError } from '../errors.ts';
import { withheldNote } from '../takes/safety.ts';
import { quote } from '../names.ts';
import { type ComicDeps, comicPanels } from './comicPanels.ts';

export interface ReaderPage {
	readonly title: string;
	/** 1-based, within 1…pages. */
	readonly page: number;
	readonly pages: number;
	readonly file: { readonly name: string; readonly data: Buffer };
	/** Numbers of the ready panels left out here for channel safety. */
	readonly withheld: readonly number[];
	/** Read right to left (manga): the page's rows are mirrored and the reader's buttons turn the other way. */
	readonly rtl: boolean;
}

/**
 * One page of a project's comic as `/comic read` shows it: the ready panels laid out as the page export
 * lays them (same pages, same numbers), only the asked page rendered. A page past the end shows the last.
 * Pages are planned from the sizes stored on the takes: a press loads only the pictures of its page.
 * Outside age-restricted channels, mature pictures are left out (and the pages planned without them).
 */
export async function readerPage(deps: ComicDeps, projectId: string, page: number, ageRestricted: boolean): Promise<ReaderPage> {
	const project = await deps.db.project.findUnique({ where: { id: projectId }, select: { name: true, reading: true } });
	if (!project) throw new UserFacingError('This comic no longer exists.');
	const { ready, withheld } = await comicPanels(deps, projectId, { ageRestricted, prepare: 'when-drawn' });
	if (ready.length === 0) throw new UserFacingError(`**${quote(project.name)}** has no ready panels to read here yet.${withheldNote(withheld)}`);
	const rtl = project.reading === 'rtl';
	const pages = planPages(
		ready.map((panel) => ({ width: panel.width ?? 1, height: panel.height ?? 1 })),
		{ rtl },
	).length;
	const shown = Math.min(Math.max(1, page), pages);
	const render = () => collect(renderPages(ready, { title: project.name, format: 'jpeg', only: shown - 1, rtl }));
	const [image] = deps.renders ? await deps.renders.run(render) : await render();
	if (!image) throw new Error('the page was planned but not rendered');
	return { title: project.name, page: shown, pages, file: { name: image.name, data: image.data }, withheld, rtl };
}
