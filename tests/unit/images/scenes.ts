import sharp from 'sharp';

/**
 * Synthetic comic pictures whose faces and eyes are at known places: a sky, hair, a skin-toned face with
 * eyes, shoulders. The lettering tests and the gallery script measure how much of each face the lettering
 * covers by comparing pixels before and after, inside these ellipses.
 */
export interface Ellipse {
	readonly cx: number;
	readonly cy: number;
	readonly rx: number;
	readonly ry: number;
}

export interface Figure {
	readonly face: Ellipse;
	readonly eyes: readonly [Ellipse, Ellipse];
}

export interface Scene {
	readonly name: string;
	readonly width: number;
	readonly height: number;
	readonly image: Buffer;
	readonly figures: readonly Figure[];
}

export const SIZES = [
	[832, 1216],
	[512, 768],
	[1216, 832],
	[1024, 1024],
] as const;

export type Layout = 'closeup' | 'left' | 'two' | 'busy';

const SKIES: Record<Layout, readonly [string, string]> = {
	closeup: ['#2a4d7a', '#9cc3e6'],
	left: ['#3b1f4a', '#e39a6b'],
	two: ['#12324a', '#6fa3c7'],
	busy: ['#1e3b2a', '#88b06a'],
};

/** Where the figures stand, as shares of the picture and of its shorter side. */
function figuresOf(layout: Layout, width: number, height: number): Figure[] {
	const short = Math.min(width, height);
	const figure = (cx: number, cy: number, scale: number): Figure => {
		const rx = short * 0.2 * scale;
		const ry = short * 0.27 * scale;
		const eye = (side: -1 | 1): Ellipse => ({ cx: cx + side * rx * 0.42, cy: cy - ry * 0.12, rx: rx * 0.2, ry: ry * 0.09 });
		return { face: { cx, cy, rx, ry }, eyes: [eye(-1), eye(1)] };
	};
	switch (layout) {
		case 'closeup':
			return [figure(width * 0.5, height * 0.54, 1)];
		case 'left':
			return [figure(width * 0.32, height * 0.5, 0.9)];
		case 'busy':
			return [figure(width * 0.58, height * 0.52, 0.95)];
		case 'two':
			return [figure(width * 0.28, height * 0.52, 0.62), figure(width * 0.72, height * 0.5, 0.66)];
	}
}

function figureSvg({ face, eyes }: Figure, index: number): string {
	const { cx, cy, rx, ry } = face;
	const hair = index % 2 === 0 ? '#3a2414' : '#6b3b1e';
	const shirt = index % 2 === 0 ? '#b8323a' : '#2f6f4f';
	const eyeSvg = eyes
		.map(
			(eye) => `<ellipse cx="${eye.cx}" cy="${eye.cy}" rx="${eye.rx}" ry="${eye.ry}" fill="#ffffff"/>
			<circle cx="${eye.cx}" cy="${eye.cy}" r="${eye.ry * 0.85}" fill="#1b1b2a"/>`,
		)
		.join('');
	return `<ellipse cx="${cx}" cy="${cy + ry * 1.9}" rx="${rx * 1.9}" ry="${ry * 1.1}" fill="${shirt}"/>
		<rect x="${cx - rx * 0.35}" y="${cy + ry * 0.6}" width="${rx * 0.7}" height="${ry * 0.7}" fill="#d9a27f"/>
		<ellipse cx="${cx}" cy="${cy - ry * 0.25}" rx="${rx * 1.12}" ry="${ry * 0.95}" fill="${hair}"/>
		<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="#e9b995"/>
		${eyeSvg}
		<path d="M ${cx - rx * 0.3} ${cy + ry * 0.45} Q ${cx} ${cy + ry * 0.62} ${cx + rx * 0.3} ${cy + ry * 0.45}" stroke="#8a3b32" stroke-width="${rx * 0.06}" fill="none"/>`;
}

export async function scene(layout: Layout, width: number, height: number): Promise<Scene> {
	const figures = figuresOf(layout, width, height);
	const [top, bottom] = SKIES[layout];
	// A busy background: leaves and clouds with hard edges all over, so edges alone do not find the subject.
	const clutter =
		layout === 'busy'
			? Array.from({ length: 40 }, (_, index) => {
					const x = ((index * 7919) % 997) / 997;
					const y = ((index * 104729) % 991) / 991;
					return `<circle cx="${x * width}" cy="${y * height}" r="${Math.min(width, height) * (0.02 + (index % 5) * 0.008)}" fill="${index % 2 ? '#2d5a34' : '#a4c98a'}" opacity="0.8"/>`;
				}).join('')
			: `<ellipse cx="${width * 0.15}" cy="${height * 0.12}" rx="${width * 0.12}" ry="${height * 0.03}" fill="#ffffff" opacity="0.35"/>`;
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
		<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/></linearGradient></defs>
		<rect width="100%" height="100%" fill="url(#sky)"/>
		${clutter}
		${figures.map(figureSvg).join('')}
	</svg>`;
	const image = await sharp(Buffer.from(svg)).png().toBuffer();
	return { name: `${layout}-${width}x${height}`, width, height, image, figures };
}

const insideEllipse = (e: Ellipse, x: number, y: number) => ((x - e.cx) / e.rx) ** 2 + ((y - e.cy) / e.ry) ** 2 <= 1;

export interface FaceCoverage {
	/** The largest share of one face's pixels the lettering changed. */
	readonly worstFace: number;
	/** Pixels changed inside any eye. */
	readonly eyePixels: number;
}

/** Compares raw RGB pixels before and after lettering inside each face and eye. */
export async function faceCoverage(before: Buffer, after: Buffer, figures: readonly Figure[]): Promise<FaceCoverage> {
	const a = await sharp(before).removeAlpha().raw().toBuffer({ resolveWithObject: true });
	const b = await sharp(after).removeAlpha().raw().toBuffer();
	const width = a.info.width;
	const changed = (x: number, y: number) => {
		const at = (y * width + x) * 3;
		return a.data[at] !== b[at] || a.data[at + 1] !== b[at + 1] || a.data[at + 2] !== b[at + 2];
	};
	let worstFace = 0;
	let eyePixels = 0;
	for (const { face, eyes } of figures) {
		let inside = 0;
		let hit = 0;
		for (let y = Math.floor(face.cy - face.ry); y <= Math.ceil(face.cy + face.ry); y++) {
			for (let x = Math.floor(face.cx - face.rx); x <= Math.ceil(face.cx + face.rx); x++) {
				if (x < 0 || y < 0 || x >= width || y >= a.info.height || !insideEllipse(face, x, y)) continue;
				inside++;
				if (!changed(x, y)) continue;
				hit++;
				if (eyes.some((eye) => insideEllipse({ ...eye, rx: eye.rx * 1.3, ry: eye.ry * 1.6 }, x, y))) eyePixels++;
			}
		}
		worstFace = Math.max(worstFace, hit / Math.max(1, inside));
	}
	return { worstFace, eyePixels };
}

/** The dialogue the placement tests and the gallery letter on every scene: at most three balloons. */
export const SCENE_WORDS = [
	{ caption: 'Later that night, on the roof.', dialogue: 'Mia: Did you hear that? | Rex: Hear what? It was only the wind.' },
	{ dialogue: 'Mia: We should not be up here. | Rex: Relax, nobody ever comes up here at night. | Mia: Somebody did.' },
	{ caption: 'Meanwhile…', dialogue: 'Rex: I told you the tunnels were a bad idea, and you never listen to me, ever.' },
] as const;
