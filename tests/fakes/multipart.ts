// A small multipart/form-data parser for test fakes. It works on raw Buffers so binary file parts
// (PNG bytes) survive unchanged; @discordjs/rest sends `payload_json` plus `files[n]` parts this way.

export interface MultipartPart {
	/** The form field name, e.g. 'payload_json' or 'files[0]'. */
	name: string;
	/** Present only for file parts. */
	filename?: string;
	/** The part's Content-Type header, if it had one. */
	contentType?: string;
	data: Buffer;
}

/** Reads the boundary from a `multipart/form-data; boundary=...` header; undefined if it is not multipart. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
	if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
	const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	return match?.[1] ?? match?.[2];
}

/** Splits a multipart body into parts. Throws on a body that does not contain the boundary at all. */
export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartPart[] {
	const boundary = multipartBoundary(contentType);
	if (!boundary) throw new Error(`Not a multipart/form-data content type: ${contentType ?? '(none)'}`);
	const delimiter = Buffer.from(`--${boundary}`);
	// Part bodies end at CRLF + delimiter; searching for that (not the bare delimiter) keeps file bytes
	// that happen to contain "--" intact.
	const closing = Buffer.from(`\r\n--${boundary}`);
	const parts: MultipartPart[] = [];

	let pos = body.indexOf(delimiter);
	if (pos === -1) throw new Error('Multipart body does not contain its boundary');
	pos += delimiter.length;

	while (pos < body.length) {
		// "--" right after a delimiter marks the end of the body.
		if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
		pos = skipLineBreak(body, pos);

		const headerEnd = body.indexOf('\r\n\r\n', pos);
		if (headerEnd === -1) throw new Error('Multipart part without a header terminator');
		const headers = parseHeaders(body.subarray(pos, headerEnd).toString('utf8'));
		const dataStart = headerEnd + 4;
		const dataEnd = body.indexOf(closing, dataStart);
		if (dataEnd === -1) throw new Error('Multipart part is not terminated by a boundary');

		const disposition = parseDisposition(headers.get('content-disposition') ?? '');
		const part: MultipartPart = { name: disposition.name ?? '', data: Buffer.from(body.subarray(dataStart, dataEnd)) };
		if (disposition.filename !== undefined) part.filename = disposition.filename;
		const partType = headers.get('content-type');
		if (partType !== undefined) part.contentType = partType;
		parts.push(part);

		pos = dataEnd + closing.length;
	}
	return parts;
}

function skipLineBreak(body: Buffer, pos: number): number {
	if (body[pos] === 0x0d && body[pos + 1] === 0x0a) return pos + 2;
	if (body[pos] === 0x0a) return pos + 1;
	return pos;
}

function parseHeaders(text: string): Map<string, string> {
	const headers = new Map<string, string>();
	for (const line of text.split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
	}
	return headers;
}

/** Parses `form-data; name="files[0]"; filename="panel.png"` including quoted escapes and RFC 5987 `filename*`. */
function parseDisposition(value: string): { name?: string; filename?: string } {
	const params = new Map<string, string>();
	const paramPattern = /;\s*([^=;\s]+)\s*=\s*(?:"((?:\\.|[^"\\])*)"|([^;]*))/g;
	for (const match of value.matchAll(paramPattern)) {
		const key = match[1]?.toLowerCase();
		if (!key) continue;
		const quoted = match[2];
		params.set(key, quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (match[3] ?? '').trim());
	}
	const result: { name?: string; filename?: string } = {};
	const name = params.get('name');
	if (name !== undefined) result.name = decodePercent(name);
	const extended = params.get('filename*');
	const plain = params.get('filename');
	if (extended !== undefined) {
		// filename*=UTF-8''p%C3%A4nel.png
		const quote = extended.indexOf("''");
		result.filename = decodeExtended(quote === -1 ? extended : extended.slice(quote + 2));
	} else if (plain !== undefined) {
		result.filename = decodePercent(plain);
	}
	return result;
}

// undici's FormData percent-escapes only quotes and line breaks in names ("%22", "%0A", "%0D") and
// leaves "%" itself alone, so undo exactly those; a full decode would mangle a literal "%41" in a name.
function decodePercent(value: string): string {
	return value.replace(/%(22|0A|0D)/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function decodeExtended(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}
