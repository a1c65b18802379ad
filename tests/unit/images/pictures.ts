import sharp from 'sharp';

/** A smooth diagonal gradient, PNG: every pixel differs from its neighbours a little. */
export async function gradient(width: number, height: number): Promise<Buffer> {
	const pixels = Buffer.alloc(width * height * 3);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const at = (y * width + x) * 3;
			pixels[at] = Math.round((x / width) * 200) + 20;
			pixels[at + 1] = Math.round((y / height) * 160) + 40;
			pixels[at + 2] = 120;
		}
	}
	return sharp(pixels, { raw: { width, height, channels: 3 } })
		.png()
		.toBuffer();
}

/** Gaussian noise, as hard to compress as a detailed picture; JPEG so it is quick to make and read. */
export async function noise(width: number, height: number, mean = 110): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 3, background: '#000000', noise: { type: 'gaussian', mean, sigma: 45 } } })
		.jpeg({ quality: 90 })
		.toBuffer();
}

export async function solid(width: number, height: number, colour = { r: 20, g: 30, b: 70 }): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 3, background: colour } })
		.png()
		.toBuffer();
}

export async function rgb(image: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
	const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
	return { data, width: info.width, height: info.height };
}

export interface ZipEntry {
	readonly name: string;
	readonly method: number;
	readonly data: Buffer;
}

/** Reads a zip's central directory and its stored entries (enough to check a CBZ without an unzip library). */
export function readZip(zip: Buffer): ZipEntry[] {
	let end = zip.length - 22;
	while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
	if (end < 0) throw new Error('no end of central directory');
	const count = zip.readUInt16LE(end + 10);
	let at = zip.readUInt32LE(end + 16);
	const entries: ZipEntry[] = [];
	for (let index = 0; index < count; index++) {
		if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory entry');
		const method = zip.readUInt16LE(at + 10);
		const size = zip.readUInt32LE(at + 20);
		const nameLength = zip.readUInt16LE(at + 28);
		const extraLength = zip.readUInt16LE(at + 30);
		const commentLength = zip.readUInt16LE(at + 32);
		const local = zip.readUInt32LE(at + 42);
		const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
		const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
		entries.push({ name, method, data: zip.subarray(start, start + size) });
		at += 46 + nameLength + extraLength + commentLength;
	}
	return entries;
}
