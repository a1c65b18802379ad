// npx tsx scripts/lettering-gallery.ts [folder]   (also: npm run lettering:gallery)
// Letters every test scene (close-up, figure on the left, two figures, busy background) at 832x1216,
// 512x768, 1216x832 and 1024x1024 with the test words, plus one panel per kind of balloon, and writes
// them to a folder (default: lettering-gallery/, gitignored) with overview sheets for a person to look
// at. Prints, per picture, the largest share of a face the lettering covers, whether an eye was touched,
// the dialogue cap height once the panel is scaled into an 800 px strip, and the time per panel.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { font, loadFonts } from '../src/images/fonts.ts';
import { parseCaption, parseDialogue } from '../src/images/lettering/dialogue.ts';
import { type Lettered, layoutWords, letterPanel, type Words } from '../src/images/lettering/letter.ts';
import { findSubjects } from '../src/images/lettering/subjects.ts';
import { canvasModule } from '../src/images/native.ts';
import { faceCoverage, type Layout, SCENE_WORDS, SIZES, scene } from '../tests/unit/images/scenes.ts';

const folder = process.argv[2] ?? 'lettering-gallery';
await mkdir(folder, { recursive: true });
loadFonts();
const ctx = canvasModule().createCanvas(1, 1).getContext('2d');
ctx.font = font('dialogue', 100);
const capRatio = ctx.measureText('H').actualBoundingBoxAscent / 100;

const toWords = (caption: string | undefined, dialogue: string): Words => {
	const parsed = parseCaption(caption);
	return { ...(parsed ? { caption: parsed } : {}), balloons: parseDialogue(dialogue) };
};

const VOICES: readonly { name: string; caption?: string; dialogue: string }[] = [
	{ name: 'shout', dialogue: 'Rex: I SAID WATCH OUT! | Mia: What? Where?' },
	{ name: 'whisper', dialogue: 'Mia: (whisper) Stay down. They are right behind the door. | Rex: (whisper) Okay.' },
	{ name: 'thought', dialogue: 'Mia: (thought) He has no idea what is in the box. | Rex: So… are we going?' },
	{ name: 'emphasis', caption: 'The *very* next day…', dialogue: 'Mia: I said **never** touch it, and you _touched_ it! | Rex: "It\'s fine" -- I think.' },
	{
		name: 'long-speech',
		dialogue:
			'Mia: Listen to me. We walked for three days through the tunnels under the old city, and nobody knows the way back any more. The lamp is almost out, the map is wet, and something has been following us since the second bridge. So no, I will not calm down.',
	},
	{ name: 'ok-is-not-a-shout', dialogue: 'Rex: OK. | Mia: Run!' },
	{ name: 'scripts', caption: 'Τη νύχτα εκείνη…', dialogue: 'Мия: Ты это слышал? | Рекс: नमस्ते, दोस्त! Tiếng Việt.' },
	{ name: 'japanese', caption: 'その夜…', dialogue: 'ミア: ねえ、聞こえた？誰かが扉の向こうにいるよ。 | レックス: 気のせいだよ。早く寝よう。' },
	{ name: 'korean', dialogue: '미아: 저 소리 들었어? 문 뒤에 누가 있어. | 렉스: 기분 탓이야. 어서 자자.' },
	{ name: 'chinese', dialogue: '米娅: 你听到了吗？门后面有人。 | 雷克斯: 是你的错觉。快睡吧。' },
	{ name: 'arabic-hebrew', dialogue: 'ميا: هل سمعت ذلك؟ هناك شخص خلف الباب! | רקס: זה רק הרוח. לכי לישון.' },
	{ name: 'thai-emoji', dialogue: 'Mia: คุณได้ยินไหม มีคนอยู่หลังประตู | Rex: Relax 😀👍🏽 it is only the wind 🌬️🇯🇵' },
];

const rows: string[] = [];
const tiles: { name: string; image: Buffer }[] = [];
const times: number[] = [];
let worst = 0;
let eyes = 0;
const caps: number[] = [];
const letter = async (name: string, picture: Buffer, figures: Parameters<typeof faceCoverage>[2], words: Words, width: number, height: number) => {
	const started = performance.now();
	let lettered: Lettered;
	try {
		lettered = await letterPanel(picture, words);
	} catch (error) {
		rows.push(`${name.padEnd(32)} refused: ${error instanceof Error ? error.message : String(error)}`);
		return;
	}
	times.push(performance.now() - started);
	await writeFile(join(folder, `${name}.png`), lettered.image);
	tiles.push({ name, image: lettered.image });
	const coverage = await faceCoverage(picture, lettered.image, figures);
	const placed = layoutWords(words, { width, height }, await findSubjects(picture, { width, height }));
	const speech = placed.filter((item) => item.kind !== 'caption').map((item) => (item.size * capRatio * 800) / width);
	caps.push(...speech);
	worst = Math.max(worst, coverage.worstFace);
	if (coverage.eyePixels > 0) eyes++;
	rows.push(
		`${name.padEnd(32)} face ${(coverage.worstFace * 100).toFixed(1).padStart(5)} %  eye pixels ${String(coverage.eyePixels).padStart(4)}  cap@800 ${speech.map((cap) => cap.toFixed(1)).join(' ')}`,
	);
};

for (const layout of ['closeup', 'left', 'two', 'busy'] as const satisfies readonly Layout[]) {
	for (const [width, height] of SIZES) {
		const picture = await scene(layout, width, height);
		for (const [index, words] of SCENE_WORDS.entries()) {
			await letter(
				`${picture.name}-${index}`,
				picture.image,
				picture.figures,
				toWords('caption' in words ? words.caption : undefined, words.dialogue),
				width,
				height,
			);
		}
	}
}
for (const voice of VOICES) {
	for (const [width, height] of [SIZES[0], SIZES[2]]) {
		const picture = await scene('two', width, height);
		await letter(`${voice.name}-${width}x${height}`, picture.image, picture.figures, toWords(voice.caption, voice.dialogue), width, height);
	}
}

// Overview sheets, 4 across, so a person can look at many at once.
const CELL = 400;
for (let sheet = 0; sheet * 16 < tiles.length; sheet++) {
	const chunk = tiles.slice(sheet * 16, sheet * 16 + 16);
	const composed = await Promise.all(
		chunk.map(async (tile, index) => ({
			input: await sharp(tile.image)
				.resize({ width: CELL - 8, height: CELL - 8, fit: 'inside' })
				.png()
				.toBuffer(),
			left: (index % 4) * CELL,
			top: Math.floor(index / 4) * CELL,
		})),
	);
	await sharp({ create: { width: 4 * CELL, height: Math.ceil(chunk.length / 4) * CELL, channels: 3, background: '#ffffff' } })
		.composite(composed)
		.png()
		.toFile(join(folder, `_sheet-${sheet + 1}.png`));
}

times.sort((a, b) => a - b);
const summary = [
	...rows,
	'',
	`panels: ${tiles.length}; worst face covered: ${(worst * 100).toFixed(1)} %; panels with an eye touched: ${eyes}`,
	`dialogue cap height in an 800 px strip: min ${Math.min(...caps).toFixed(1)} px, max ${Math.max(...caps).toFixed(1)} px`,
	`time per lettered panel (letterPanel, subject map included): p50 ${times[Math.floor(times.length / 2)]?.toFixed(0)} ms, p90 ${times[Math.floor(times.length * 0.9)]?.toFixed(0)} ms`,
].join('\n');
await writeFile(join(folder, '_summary.txt'), `${summary}\n`);
console.log(summary);
console.log(`\nwritten to ${folder}/`);
