import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { ImageStore } from '../../images/imageStore.ts';
import { LetteringError, letterPanel } from '../../images/index.ts';
import { hasWords, type PanelWords, toWords } from '../lettering/words.ts';

export interface LetteringDeps {
	readonly db: Db;
	readonly images: ImageStore;
}

/** A take as lettering needs it; its plain picture must already be on this machine (`ensureImage`, ./pictures.ts). */
export interface TakeToShow {
	readonly id: string;
	readonly imagePath: string;
	readonly imageMime: string;
	readonly letteredPath: string | null;
}

/** A file of the picture store and its type. */
interface PictureFile {
	readonly imagePath: string;
	readonly imageMime: string;
}

/**
 * The picture a panel shows: its take as drawn when it has no words, else the take with the words
 * lettered on it (PNG), kept next to the plain picture and remembered on the take. The file name
 * carries a hash of the take and the words, so a file lettered with older words is never shown, and
 * another host that lacks the file letters it again from the plain picture.
 * Lettering costs a few milliseconds of the event loop; compositing and encoding run on libvips' threads.
 */
export async function pictureToShow(deps: LetteringDeps, take: TakeToShow, words: PanelWords): Promise<PictureFile> {
	if (!hasWords(words)) return { imagePath: take.imagePath, imageMime: take.imageMime };
	const name = letteredName(take, words);
	const path = `${name}.png`;
	if (take.letteredPath === path && (await deps.images.has(path))) return { imagePath: path, imageMime: 'image/png' };
	if (!(await deps.images.has(path))) {
		let lettered: Awaited<ReturnType<typeof letterPanel>>;
		try {
			lettered = await letterPanel(await deps.images.read(take.imagePath), toWords(words));
		} catch (error) {
			// Words are checked before they are stored, on the size the model draws; a picture of another
			// size that cannot hold them is shown as drawn rather than not at all.
			if (error instanceof LetteringError) return { imagePath: take.imagePath, imageMime: take.imageMime };
			throw error;
		}
		await deps.images.save(name, lettered.image, lettered.mime);
	}
	await deps.db.take.updateMany({ where: { id: take.id }, data: { letteredPath: path } });
	// The file lettered with the take's older words is never shown again (its name carries their hash):
	// removed now, or each change of words would leave a lettered PNG per take behind (~2.6 MB at 832x1216).
	if (take.letteredPath && take.letteredPath !== path && take.letteredPath !== take.imagePath) await deps.images.remove([take.letteredPath]).catch(() => 0);
	return { imagePath: path, imageMime: 'image/png' };
}

function letteredName(take: TakeToShow, words: PanelWords): string {
	const hash = createHash('sha256')
		.update(JSON.stringify([take.imagePath, words.caption ?? '', words.dialogue ?? '']))
		.digest('base64url')
		.slice(0, 12);
	return `${take.imagePath.replace(/\.[a-z]+$/i, '')}-lettered-${hash}`;
}

/**
 * The file a take shows as last lettered, without lettering: its lettered copy when the panel has
 * words and one was made (by the delivery that showed it), else the plain picture. For views that are
 * built after delivery lettered the take (a story's message).
 */
export function letteredFile(
	take: { readonly imagePath: string; readonly imageMime: string; readonly letteredPath: string | null },
	words: PanelWords,
): PictureFile {
	return take.letteredPath && (words.caption || words.dialogue)
		? { imagePath: take.letteredPath, imageMime: 'image/png' }
		: { imagePath: take.imagePath, imageMime: take.imageMime };
}
