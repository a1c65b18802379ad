export interface ComicInfo {
	readonly title: string;
	readonly writer: string;
	readonly summary?: string;
	/** BCP-47, e.g. `en`. */
	readonly languageISO?: string;
	readonly date?: Date;
	/** Who lettered it (the bot does). */
	readonly letterer?: string;
	/** An export split into files: this file's number and how many there are. */
	readonly part?: { readonly number: number; readonly count?: number };
	/**
	 * A strip's slices are one long vertical image cut for size, not pages: they are all `Story` (no cover)
	 * and the book says it is a webtoon, so readers scroll instead of paging.
	 */
	readonly strip?: boolean;
	/** Read right to left (manga): `Manga` says `YesAndRightToLeft`, which readers use to page backwards. */
	readonly rtl?: boolean;
}

export interface ComicPage {
	readonly width: number;
	readonly height: number;
	readonly bytes: number;
}

const escapeXml = (text: string) =>
	text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char] ?? char);

/**
 * ComicInfo.xml of the Anansi Project schema v2.0. The root's children are an `xs:sequence`, so the
 * elements are written in the schema's order: Title, Series, Number, Count, Summary, Notes, Year, Month,
 * Day, Writer, Letterer, PageCount, LanguageISO, Format, Manga, Pages.
 * @see https://github.com/anansi-project/comicinfo/blob/main/schema/v2.0/ComicInfo.xsd
 */
export function comicInfoXml(info: ComicInfo, pages: readonly ComicPage[]): string {
	const date = info.date ?? new Date();
	const element = (name: string, value: string | number | undefined) => (value === undefined ? [] : [`  <${name}>${escapeXml(String(value))}</${name}>`]);
	const pageLines = pages.map(
		(page, index) =>
			`    <Page Image="${index}" Type="${index === 0 && !info.strip ? 'FrontCover' : 'Story'}" ImageSize="${page.bytes}" ImageWidth="${page.width}" ImageHeight="${page.height}"/>`,
	);
	return [
		'<?xml version="1.0" encoding="utf-8"?>',
		'<ComicInfo xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
		...element('Title', info.part ? `${info.title} (part ${info.part.number}${info.part.count ? ` of ${info.part.count}` : ''})` : info.title),
		...element('Series', info.title),
		...element('Number', info.part?.number),
		...element('Count', info.part?.count),
		...element('Summary', info.summary),
		...element('Notes', 'Drawn and lettered with comic-bot.'),
		...element('Year', date.getUTCFullYear()),
		...element('Month', date.getUTCMonth() + 1),
		...element('Day', date.getUTCDate()),
		...element('Writer', info.writer),
		...element('Letterer', info.letterer),
		...element('PageCount', pages.length),
		...element('LanguageISO', info.languageISO),
		...element('Format', info.strip ? 'Webtoon' : undefined),
		...element('Manga', info.rtl ? 'YesAndRightToLeft' : 'No'),
		'  <Pages>',
		...pageLines,
		'  </Pages>',
		'</ComicInfo>',
		'',
	].join('\n');
}
