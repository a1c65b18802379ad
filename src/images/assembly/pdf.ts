import { loadPdfLib } from '../native.ts';
import { imageEngine } from '../engine.ts';

export interface PageImage {
	readonly data: Buffer;
	readonly width: number;
	readonly height: number;
}

/** Pages are printed at 240 dpi: a 1600 x 2400 px page is 480 x 720 pt (6.7 x 10 in, near a comic book's trim). */
export const PDF_DPI = 240;

const isJpeg = (data: Buffer) => data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;

/**
 * One PDF page per page image. JPEG pages are embedded as they are (the PDF is about the sum of the
 * JPEGs); other formats are converted to JPEG first, since pdf-lib's PNG path is ~50x slower and it
 * does not take WebP.
 * @see https://pdf-lib.js.org/docs/api/classes/pdfdocument#embedjpg
 */
export async function toPdf(
	pages: Iterable<PageImage> | AsyncIterable<PageImage>,
	info: { title?: string; author?: string; subject?: string; language?: string } = {},
): Promise<Buffer> {
	const pdf = await (await loadPdfLib()).PDFDocument.create();
	if (info.title) pdf.setTitle(info.title);
	if (info.author) pdf.setAuthor(info.author);
	if (info.subject) pdf.setSubject(info.subject);
	// The catalog's /Lang: screen readers and text extraction read the title and words in that language.
	if (info.language) pdf.setLanguage(info.language);
	pdf.setCreator('comic-bot');
	for await (const page of pages) {
		const jpeg = isJpeg(page.data) ? page.data : await (await imageEngine())(page.data).flatten({ background: '#ffffff' }).jpeg({ quality: 88 }).toBuffer();
		const image = await pdf.embedJpg(jpeg);
		const width = (page.width * 72) / PDF_DPI;
		const height = (page.height * 72) / PDF_DPI;
		pdf.addPage([width, height]).drawImage(image, { x: 0, y: 0, width, height });
	}
	return Buffer.from(await pdf.save());
}
