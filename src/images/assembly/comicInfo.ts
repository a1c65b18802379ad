export interface ComicInfo {
	readonly title: string;
	readonly writer: string;
	readonly summary?: string;
	/** BCP-47, e.g. `en`. */
	readonly languageISO?: string;
	readonly date?: Date;
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
 * elements are written in the schema's order: Title, Series, Summary, Notes, Year, Month, Day, Writer,
 * PageCount, LanguageISO, Manga, Pages.
 * @see https://github.com/anansi-project/comicinfo/blob/main/schema/v2.0/ComicInfo.xsd
 */
export function comicInfoXml(info: ComicInfo, pages: readonly ComicPage[]): string {
	const date = info.date ?? new Date();
	const element = (name: string, value: string | number | undefined) => (value === undefined ? [] : [`  <${name}>${escapeXml(String(value))}</${name}>`]);
	const pageLines = pages.map(
		(page, index) =>
			`    <Page Image="${index}" Type="${index === 0 ? 'FrontCover' : 'Story'}" ImageSize="${page.bytes}" ImageWidth="${page.width}" ImageHeight="${page.height}"/>`,
	);
	return [
		'<?xml version="1.0" encoding="utf-8"?>',
		'<ComicInfo xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
		...element('Title', info.title),
		...element('Series', info.title),
		...element('Summary', info.summary),
		...element('Notes', 'Drawn and lettered with comic-bot.'),
		...element('Year', date.getUTCFullYear()),
		...element('Month', date.getUTCMonth() + 1),
		...element('Day', date.getUTCDate()),
		...element('Writer', info.writer),
		...element('PageCount', pages.length),
		...element('LanguageISO', info.languageISO),
		...element('Manga', 'No'),
		'  <Pages>',
		...pageLines,
		'  </Pages>',
		'</ComicInfo>',
		'',
	].join('\n');
}
