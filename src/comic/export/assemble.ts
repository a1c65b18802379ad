import { type ImageFormat, type PanelSource, type RenderedImage, renderPages, renderStrip, toCbz, toPdf } from '../../images/index.ts';
import { UserFacingError } from '../errors.ts';

export type ExportFormat = ImageFormat | 'pdf' | 'cbz';
export type ExportLayout = 'strip' | 'page';

export interface ExportOptions {
	readonly title: string;
	readonly writer: string;
	readonly layout: ExportLayout;
	readonly format: ExportFormat;
	/** The largest file Discord takes here (the interaction's `attachment_size_limit`). */
	readonly maxFileBytes: number;
	/** The project's description: ComicInfo's Summary, the PDF's subject. */
	readonly summary?: string;
	/** BCP-47 language of the words (the interaction's locale): ComicInfo's LanguageISO, the PDF's /Lang. */
	readonly language?: string;
	/** Right to left (the project's reading direction): pages mirror their rows, ComicInfo says manga. */
	readonly rtl?: boolean;
}

/** ComicInfo's Letterer: the words are lettered by the bot. */
export const LETTERER = 'comic-bot';

/**
 * Pages of finished parts are held back (JPEG bytes, up to this much) so that every part can say "part N
 * of M"; an export bigger than that sends its first parts without the count rather than hold it all.
 */
const HOLD_BYTES = 48 * 1024 * 1024;

export interface ExportFile {
	readonly name: string;
	readonly data: Buffer;
}

/** Room left in a part for the container around the pages (PDF objects, zip headers, ComicInfo.xml). */
const CONTAINER_SHARE = 0.97;

/** A file of an export that Discord would refuse: the message says what to export instead. */
export class ExportTooLarge extends UserFacingError {}

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/**
 * The export's files one at a time, rendered on libvips' threads and encoded as they come: strip slices
 * or pages as image files; a PDF or CBZ of the pages (JPEG), split into parts that each fit under the
 * file limit. A single slice or page over the limit stops the export with a refusal that says how to
 * export it smaller.
 */
export async function* exportFiles(panels: readonly PanelSource[], options: ExportOptions): AsyncGenerator<ExportFile> {
	if (options.format === 'pdf' || options.format === 'cbz') {
		yield* documentParts(panels, options, options.format);
		return;
	}
	const images =
		options.layout === 'strip'
			? renderStrip(panels, { title: options.title, format: options.format })
			: renderPages(panels, { title: options.title, format: options.format, rtl: options.rtl === true });
	for await (const image of images) {
		if (image.data.length > options.maxFileBytes)
			throw new ExportTooLarge(
				`${image.name} is ${megabytes(image.data.length)}, over the ${megabytes(options.maxFileBytes)} Discord takes here. Export as \`jpeg\` or \`webp\`, which are much smaller, or fewer panels with the \`panels\` option.`,
			);
		yield { name: image.name, data: image.data };
	}
}

/** PDF pages always (a PDF is pages); a CBZ follows the layout (a strip of slices suits webtoon readers). */
async function* documentParts(panels: readonly PanelSource[], options: ExportOptions, format: 'pdf' | 'cbz'): AsyncGenerator<ExportFile> {
	const strip = format === 'cbz' && options.layout === 'strip';
	const images = strip
		? renderStrip(panels, { title: options.title, format: 'jpeg' })
		: renderPages(panels, { title: options.title, format: 'jpeg', rtl: options.rtl === true });
	const budget = options.maxFileBytes * CONTAINER_SHARE;
	const base = fileBase(options.title);
	const pack = async (pages: readonly RenderedImage[], part: { number: number; count?: number } | undefined) => {
		if (format === 'pdf') {
			const title = part ? `${options.title} (part ${part.number}${part.count ? ` of ${part.count}` : ''})` : options.title;
			return toPdf(pages, {
				title,
				author: options.writer,
				...(options.summary ? { subject: options.summary } : {}),
				...(options.language ? { language: options.language } : {}),
			});
		}
		const info = {
			title: options.title,
			writer: options.writer,
			letterer: LETTERER,
			strip,
			rtl: options.rtl === true,
			...(options.summary ? { summary: options.summary } : {}),
			...(options.language ? { languageISO: options.language } : {}),
			...(part ? { part } : {}),
		};
		return (await toCbz(pages, info)) ?? Buffer.alloc(0);
	};
	const sizeOf = (pages: readonly RenderedImage[]) => pages.reduce((sum, page) => sum + page.data.length, 0);
	const parts: RenderedImage[][] = [[]];
	let bytes = 0;
	let held = 0;
	let sent = 0;
	for await (const image of images) {
		if (image.data.length > budget)
			throw new ExportTooLarge(
				`${image.name} alone is ${megabytes(image.data.length)}, over the ${megabytes(options.maxFileBytes)} Discord takes here. Export fewer panels.`,
			);
		if (bytes + image.data.length > budget && (parts[parts.length - 1]?.length ?? 0) > 0) {
			parts.push([]);
			bytes = 0;
		}
		parts[parts.length - 1]?.push(image);
		bytes += image.data.length;
		held += image.data.length;
		// Too much held back: the finished parts go out now, numbered but without the count.
		while (held > HOLD_BYTES && parts.length > 1) {
			const done = parts.shift() ?? [];
			held -= sizeOf(done);
			sent++;
			yield { name: `${base}-part-${sent}.${format}`, data: await pack(done, { number: sent }) };
		}
	}
	const count = sent + parts.length;
	for (const done of parts) {
		sent++;
		yield count === 1
			? { name: `${base}.${format}`, data: await pack(done, undefined) }
			: { name: `${base}-part-${sent}.${format}`, data: await pack(done, { number: sent, count }) };
	}
}

function fileBase(title: string): string {
	return (
		title
			.normalize('NFKD')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-|-$/g, '')
			.slice(0, 60) || 'comic'
	);
}
