// npx tsx scripts/examples.ts
// Makes the README's example strip slice and page (docs/examples/) with the project's own lettering and
// assembly code, from pictures drawn here as SVG shapes (no model, no network).
import { mkdir, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { renderPages } from '../src/images/assembly/pages.ts';
import { renderStrip } from '../src/images/assembly/strip.ts';
import { parseCaption, parseDialogue } from '../src/images/lettering/dialogue.ts';
import { letterPanel } from '../src/images/lettering/letter.ts';

const scenes = [
	{
		sky: ['#0b1d3a', '#f08a4b'],
		ground: '#2b1b2f',
		caption: 'Meanwhile, far below the city, something stirred.',
		dialogue: 'Mia: Did you hear that? | Rex: Hear what?',
	},
	{ sky: ['#13293d', '#3e7cb1'], ground: '#1d3b2a', caption: undefined, dialogue: 'Mia: It came from the tunnels. | Mia: Come on, bring the lamp.' },
	{ sky: ['#3a0b0b', '#e0a030'], ground: '#2a1a10', caption: 'Too late.', dialogue: 'Rex: WATCH OUT!' },
	{ sky: ['#1a1a2e', '#7f5a83'], ground: '#16213e', caption: 'The next morning…', dialogue: 'Mia: So. Nobody saw anything. | Rex: Nothing at all.' },
];

function picture(index: number, width: number, height: number): Promise<Buffer> {
	const scene = scenes[index % scenes.length] ?? scenes[0];
	const [top, bottom] = scene?.sky ?? ['#000', '#fff'];
	const horizon = height * 0.68;
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
		<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/></linearGradient></defs>
		<rect width="100%" height="100%" fill="url(#sky)"/>
		<circle cx="${width * (0.25 + 0.15 * index)}" cy="${height * 0.42}" r="${width * 0.09}" fill="#fff3c4" opacity="0.85"/>
		<rect y="${horizon}" width="100%" height="${height - horizon}" fill="${scene?.ground}"/>
		<ellipse cx="${width * 0.3}" cy="${horizon}" rx="${width * 0.07}" ry="${height * 0.16}" fill="#111"/>
		<circle cx="${width * 0.3}" cy="${horizon - height * 0.19}" r="${width * 0.06}" fill="#111"/>
		<ellipse cx="${width * 0.7}" cy="${horizon}" rx="${width * 0.08}" ry="${height * 0.19}" fill="#222"/>
		<circle cx="${width * 0.7}" cy="${horizon - height * 0.22}" r="${width * 0.065}" fill="#222"/>
	</svg>`;
	return sharp(Buffer.from(svg)).png().toBuffer();
}

const lettered: Buffer[] = [];
for (const [index, scene] of scenes.entries()) {
	const caption = parseCaption(scene.caption);
	const result = await letterPanel(await picture(index, 832, 1216), { ...(caption ? { caption } : {}), balloons: parseDialogue(scene.dialogue) });
	lettered.push(result.image);
}
const panels = lettered.map((image) => ({ image }));
await mkdir('docs/examples', { recursive: true });
for await (const slice of renderStrip(panels, { title: 'The Tunnels', format: 'jpeg' })) {
	// The first slice: the title and the first panel.
	await writeFile('docs/examples/strip-slice-1.jpg', slice.data);
	break;
}
for await (const page of renderPages(panels, { title: 'The Tunnels', format: 'jpeg' })) {
	// Half size for the README (the export itself is 1600 x 2400).
	await writeFile('docs/examples/page-1.jpg', await sharp(page.data).resize(800).jpeg({ quality: 85 }).toBuffer());
	break;
}
