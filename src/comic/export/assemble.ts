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
}

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
			: renderPages(panels, { title: options.title, format: options.format });
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
	const images =
		format === 'cbz' && options.layout === 'strip'
			? renderStrip(panels, { title: options.title, format: 'jpeg' })
			: renderPages(panels, { title: options.title, format: 'jpeg' });
	const budget = options.maxFileBytes * CONTAINER_SHARE;
	const base = fileBase(options.title);
	const pack = async (pages: readonly RenderedImage[]) =>
		format === 'pdf'
			? toPdf(pages, { title: options.title, author: options.writer })
			: ((await toCbz(pages, { title: options.title, writer: options.writer })) ?? Buffer.alloc(0));
	let part: RenderedImage[] = [];
	let bytes = 0;
	let finished: Buffer | undefined;
	let number = 0;
	for await (const image of images) {
		if (image.data.length > budget)
			throw new ExportTooLarge(
				`${image.name} alone is ${megabytes(image.data.length)}, over the ${megabytes(options.maxFileBytes)} Discord takes here. Export fewer panels.`,
			);
		if (part.length > 0 && bytes + image.data.length > budget) {
			// A second part is coming: the one before it is numbered.
			if (finished) yield { name: `${base}-part-${number}.${format}`, data: finished };
			finished = await pack(part);
			number++;
			part = [];
			bytes = 0;
		}
		part.push(image);
		bytes += image.data.length;
	}
	if (finished) yield { name: `${base}-part-${number}.${format}`, data: finished };
	const last = await pack(part);
	yield { name: number === 0 ? `${base}.${format}` : `${base}-part-${number + 1}.${format}`, data: last };
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
