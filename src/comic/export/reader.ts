import { collect, planPages, renderPages } from '../../images/index.ts';
import { UserFacingError } from '../errors.ts';
import { quote } from '../names.ts';
import { type ComicDeps, comicPanels } from './comicPanels.ts';

export interface ReaderPage {
	readonly title: string;
	/** 1-based, within 1…pages. */
	readonly page: number;
	readonly pages: number;
	readonly file: { readonly name: string; readonly data: Buffer };
}

/**
 * One page of a project's comic as `/comic read` shows it: the ready panels laid out as the page export
 * lays them (same pages, same numbers), only the asked page rendered. A page past the end shows the last.
 */
export async function readerPage(deps: ComicDeps, projectId: string, page: number): Promise<ReaderPage> {
	const project = await deps.db.project.findUnique({ where: { id: projectId }, select: { name: true } });
	if (!project) throw new UserFacingError('This comic no longer exists.');
	const { ready } = await comicPanels(deps, projectId);
	if (ready.length === 0) throw new UserFacingError(`**${quote(project.name)}** has no ready panels to read yet.`);
	const pages = planPages(ready.map((panel) => ({ width: panel.width ?? 1, height: panel.height ?? 1 }))).length;
	const shown = Math.min(Math.max(1, page), pages);
	const [image] = await collect(renderPages(ready, { title: project.name, format: 'jpeg', only: shown - 1 }));
	if (!image) throw new Error('the page was planned but not rendered');
	return { title: project.name, page: shown, pages, file: { name: image.name, data: image.data } };
}
