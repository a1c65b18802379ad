/** Width and height in pixels (./engine.ts's `Size`, spelled out here so the engine can import this file). */
interface Size {
	readonly width: number;
	readonly height: number;
}

/**
 * A picture's size read from its header (PNG, JPEG, WebP, GIF), without the picture engine: every
 * delivery measures the picture it keeps, and loading libvips for that alone costs a bot ~13 MB of
 * memory it never hands back (docs/decisions/031-memory.md). Like sharp's `metadata()`, the size is
 * the stored one (an EXIF orientation is not applied). Undefined when the header is not one of these
 * or is cut short: the caller asks the engine then.
 */
export function headerSize(bytes: Buffer): Size | undefined {
	const size = readHeader(bytes);
	return size && size.width > 0 && size.height > 0 ? size : undefined;
}

function readHeader(bytes: Buffer): Size | undefined {
	if (isPng(bytes))
		return bytes.length >= 24 && bytes.toString('latin1', 12, 16) === 'IHDR' ? { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) } : undefined;
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpegSize(bytes);
	if (bytes.length >= 16 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return webpSize(bytes);
	if (bytes.length >= 10 && (bytes.toString('latin1', 0, 6) === 'GIF87a' || bytes.toString('latin1', 0, 6) === 'GIF89a'))
		return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
	return undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function isPng(bytes: Buffer): boolean {
	return bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE);
}

/** The first start-of-frame segment (SOF0–SOF15 but DHT, JPG and DAC, which share the range) holds the size. */
function jpegSize(bytes: Buffer): Size | undefined {
	let offset = 2;
	while (offset + 4 <= bytes.length) {
		if (bytes[offset] !== 0xff) return undefined;
		const marker = bytes[offset + 1] ?? 0;
		// Fill bytes before a marker.
		if (marker === 0xff) {
			offset += 1;
			continue;
		}
		// Markers without a length: TEM and RSTn; SOS means the frame header was not found before the scan.
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			offset += 2;
			continue;
		}
		if (marker === 0xda || marker === 0xd9) return undefined;
		const length = bytes.readUInt16BE(offset + 2);
		if (length < 2) return undefined;
		if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
			if (offset + 9 > bytes.length) return undefined;
			return { width: bytes.readUInt16BE(offset + 7), height: bytes.readUInt16BE(offset + 5) };
		}
		offset += 2 + length;
	}
	return undefined;
}

function webpSize(bytes: Buffer): Size | undefined {
	const chunk = bytes.toString('latin1', 12, 16);
	if (chunk === 'VP8X' && bytes.length >= 30) return { width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1 };
	// Lossy: a key frame's start code, then 14 bits of width and of height (2 bits of scaling each above them).
	if (chunk === 'VP8 ' && bytes.length >= 30 && bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a)
		return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
	// Lossless: a signature byte, then width − 1 and height − 1 in 14 bits each.
	if (chunk === 'VP8L' && bytes.length >= 25 && bytes[20] === 0x2f) {
		const bits = bytes.readUInt32LE(21);
		return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
	}
	return undefined;
}
