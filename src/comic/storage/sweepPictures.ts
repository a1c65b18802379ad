import type { Db } from '../../db/database.ts';
import type { ImageStore } from '../../images/imageStore.ts';
import type { Log } from '../../log.ts';

/**
 * A file younger than this is never swept: a take's file is written before its row (the download comes
 * first), and a lettered file before the row names it, so a fresh file may belong to a row about to be
 * stored. An hour is far beyond any step's duration.
 */
export const SWEEP_MIN_AGE_MS = 60 * 60 * 1000;

/**
 * The names this bot gives pictures: a drawing's id (a UUID), `-N` for its later takes, `-lettered-<hash>`
 * for lettered ones; and `.<name>.<pid>.tmp` for a write cut short. Anything else in the folder is not
 * ours to remove.
 */
const OUR_NAMES = /^\.?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(-\d+)?(-lettered-[A-Za-z0-9_-]+)?\.(png|jpg|webp|gif)(\.\d+\.tmp)?$/;
const PAGE = 5_000;

export interface SweepResult {
	readonly removed: number;
	readonly bytes: number;
	readonly kept: number;
}

/**
 * Removes picture files in DATA_DIR that no take points at (plain or lettered) and that are older than
 * {@link SWEEP_MIN_AGE_MS}: files of panels deleted while this process was down, of rows another process
 * deleted, lettered files superseded where the removal failed, writes cut short. Run daily (node-cron,
 * STORAGE_SWEEP_CRON). The referenced names are read in pages by id, a few megabytes at 200,000 takes.
 */
export async function sweepPictures(deps: { readonly db: Db; readonly images: ImageStore; readonly log: Log }, now = Date.now()): Promise<SweepResult> {
	const candidates = (await deps.images.list()).filter((file) => OUR_NAMES.test(file.name) && now - file.modifiedAt >= SWEEP_MIN_AGE_MS);
	if (candidates.length === 0) return { removed: 0, bytes: 0, kept: 0 };
	const referenced = new Set<string>();
	let cursor: string | undefined;
	for (;;) {
		const page = await deps.db.take.findMany({
			orderBy: { id: 'asc' },
			take: PAGE,
			...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
			select: { id: true, imagePath: true, letteredPath: true },
		});
		for (const take of page) {
			referenced.add(take.imagePath);
			if (take.letteredPath) referenced.add(take.letteredPath);
		}
		if (page.length < PAGE) break;
		cursor = page[page.length - 1]?.id;
	}
	const orphans = candidates.filter((file) => !referenced.has(file.name));
	const removed = await deps.images.remove(orphans.map((file) => file.name));
	const result = { removed, bytes: orphans.reduce((sum, file) => sum + file.bytes, 0), kept: candidates.length - orphans.length };
	deps.log.info(result, 'picture files swept');
	return result;
}
