import type { Db, Tx } from '../../db/database.ts';
import type { ImageStore } from '../../images/imageStore.ts';
import type { Log } from '../../log.ts';

/** The files of the takes a delete is about to take away: plain pictures and lettered ones. */
export async function picturesOf(db: Db | Tx, where: { panelId: string } | { projectId: string }): Promise<string[]> {
	const takes = await db.take.findMany({
		where: 'panelId' in where ? { panelId: where.panelId } : { panel: { projectId: where.projectId } },
		select: { imagePath: true, letteredPath: true },
	});
	return takes.flatMap((take) => (take.letteredPath ? [take.imagePath, take.letteredPath] : [take.imagePath]));
}

/**
 * Removes the files of rows that are gone, after their delete committed (a delete rolled back keeps its
 * files). Never throws: the rows are gone either way, and the daily sweep removes what is left.
 */
export async function removePictures(
	deps: { readonly images: ImageStore; readonly log: Log },
	names: readonly string[],
	context: Record<string, unknown>,
): Promise<number> {
	try {
		const removed = await deps.images.remove(names);
		deps.log.info({ ...context, files: removed }, 'picture files removed');
		return removed;
	} catch (error) {
		deps.log.warn({ err: error, ...context }, 'could not remove picture files; the daily sweep will');
		return 0;
	}
}
