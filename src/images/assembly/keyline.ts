/** The keyline's ink: near-black, as a letterer's panel border. */
const INK = 17;

/**
 * Paints a thin border (a keyline) into raw pixels of a panel or of a horizontal piece of one: the left
 * and right columns always, the top rows only when the piece starts at the panel's top, the bottom rows
 * when it ends at the panel's bottom. Painted in place: the pixels are ours, just decoded.
 */
export function keyline(
	pixels: Buffer,
	info: { readonly width: number; readonly height: number; readonly channels: number },
	thickness: number,
	edges: { readonly top: boolean; readonly bottom: boolean } = { top: true, bottom: true },
): void {
	const { width, height, channels } = info;
	const paint = (x: number, y: number) => {
		const at = (y * width + x) * channels;
		for (let channel = 0; channel < Math.min(3, channels); channel++) pixels[at + channel] = INK;
		if (channels === 4) pixels[at + 3] = 255;
	};
	const line = Math.min(thickness, Math.floor(width / 2), Math.floor(height / 2));
	for (let y = 0; y < height; y++) {
		const rim = (edges.top && y < line) || (edges.bottom && y >= height - line);
		if (rim) for (let x = 0; x < width; x++) paint(x, y);
		else
			for (let x = 0; x < line; x++) {
				paint(x, y);
				paint(width - 1 - x, y);
			}
	}
}
