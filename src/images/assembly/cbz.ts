import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadYazl } from '../native.ts';
import { type ComicInfo, type ComicPage, comicInfoXml } from './comicInfo.ts';
import type { PageImage } from './pdf.ts';

export interface CbzInfo extends ComicInfo {
	/** When given, checked against the pages written. */
	readonly pageCount?: number;
}

const extensionOf = (data: Buffer) => (data[0] === 0xff && data[1] === 0xd8 ? 'jpg' : data[0] === 0x89 && data[1] === 0x50 ? 'png' : 'webp');

/**
 * A CBZ: the page images in reading order (`page-001.jpg`, …), stored rather than deflated (JPEG and
 * PNG do not shrink further), then `ComicInfo.xml` at the root, written last because it lists each
 * page's size. Streams into `to` when given (a file), else returns the archive.
 * @see https://github.com/thejoshwolfe/yazl#api
 */
export async function toCbz(pages: Iterable<PageImage> | AsyncIterable<PageImage>, info: CbzInfo, to?: Writable): Promise<Buffer | undefined> {
	const zip = new (await loadYazl()).ZipFile();
	const mtime = info.date ?? new Date();
	const chunks: Buffer[] = [];
	const written = to
		? pipeline(zip.outputStream, to)
		: (async () => {
				for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
			})();
	const listed: ComicPage[] = [];
	try {
		for await (const page of pages) {
			const name = `page-${String(listed.length + 1).padStart(3, '0')}.${extensionOf(page.data)}`;
			zip.addBuffer(page.data, name, { compress: false, mtime });
			listed.push({ width: page.width, height: page.height, bytes: page.data.length });
		}
		if (info.pageCount !== undefined && info.pageCount !== listed.length) {
			throw new Error(`toCbz was told ${info.pageCount} pages but was given ${listed.length}`);
		}
		zip.addBuffer(Buffer.from(comicInfoXml(info, listed), 'utf8'), 'ComicInfo.xml', { compress: false, mtime });
		zip.end();
		await written;
	} catch (error) {
		// Close the archive so the output stream ends instead of hanging; the caller discards it.
		zip.end();
		await written.catch(() => undefined);
		throw error;
	}
	return to ? undefined : Buffer.concat(chunks);
}
