import { expect, test } from 'vitest';
import { font, loadFonts } from '../../../src/images/fonts.ts';
import { parseCaption, parseDialogue } from '../../../src/images/lettering/dialogue.ts';
import { breakLines, type Placed, words } from '../../../src/images/lettering/layout.ts';
import { layoutWords, letterPanel, type Words } from '../../../src/images/lettering/letter.ts';
import { findSubjects } from '../../../src/images/lettering/subjects.ts';
import { canvasModule } from '../../../src/images/native.ts';
import { rgb, solid } from './pictures.ts';
import { faceCoverage, SCENE_WORDS, SIZES, scene } from './scenes.ts';

const toWords = (caption: string | undefined, dialogue: string): Words => {
	const parsed = parseCaption(caption);
	return { ...(parsed ? { caption: parsed } : {}), balloons: parseDialogue(dialogue) };
};

const measure = (() => {
	loadFonts();
	const ctx = canvasModule().createCanvas(1, 1).getContext('2d');
	return (text: string, role: Parameters<typeof font>[0], size: number) => {
		ctx.font = font(role, size);
		return ctx.measureText(text).width;
	};
})();

test.each(['closeup', 'left', 'two', 'busy'] as const)(
	'%s: up to three balloons cover at most 2 percent of a face and never an eye, and stay 3 percent of the width from the edge',
	async (layout) => {
		for (const [width, height] of SIZES) {
			const picture = await scene(layout, width, height);
			for (const words of SCENE_WORDS) {
				const lettered = await letterPanel(picture.image, toWords('caption' in words ? words.caption : undefined, words.dialogue));
				const coverage = await faceCoverage(picture.image, lettered.image, picture.figures);
				expect(coverage.worstFace, `${picture.name}: ${words.dialogue}`).toBeLessThanOrEqual(0.02);
				expect(coverage.eyePixels, `${picture.name}: ${words.dialogue}`).toBe(0);
				for (const box of lettered.boxes) {
					expect(box.x).toBeGreaterThanOrEqual(width * 0.03);
					expect(box.y).toBeGreaterThanOrEqual(width * 0.03);
					expect(box.x + box.width).toBeLessThanOrEqual(width * 0.97);
					expect(box.y + box.height).toBeLessThanOrEqual(height - width * 0.03);
				}
			}
		}
	},
);

test('the same words on an empty picture go to the top band', async () => {
	const lettered = await letterPanel(await solid(832, 1216), toWords('Later.', 'Mia: Did you hear that? | Rex: Hear what?'));
	for (const box of lettered.boxes) expect(box.y + box.height).toBeLessThan(1216 * 0.4);
});

const tailOf = (item: Placed | undefined) => {
	if (!item?.tail) throw new Error('a tail expected');
	return item.tail;
};

test('tails point at the speaker and end about half way; a named speaker keeps one side, unnamed lines alternate', async () => {
	for (const [width, height] of SIZES) {
		const picture = await scene('two', width, height);
		const size = { width, height };
		const map = await findSubjects(picture.image, size);
		const [left, right] = [...picture.figures].sort((a, b) => a.face.cx - b.face.cx).map((figure) => figure.face);
		if (!left || !right) throw new Error('two figures expected');
		const toward = (item: Placed | undefined) => {
			const { baseX, baseY, tipX, tipY } = tailOf(item);
			const distance = (face: typeof left, x: number, y: number) => Math.hypot(face.cx - x, face.cy - y);
			const speaker = distance(left, tipX, tipY) < distance(right, tipX, tipY) ? left : right;
			// The tip is nearer the speaker than the base, and not all the way there.
			expect(distance(speaker, tipX, tipY)).toBeLessThan(distance(speaker, baseX, baseY));
			expect(distance(speaker, tipX, tipY)).toBeGreaterThan(distance(speaker, baseX, baseY) * 0.2);
			return speaker === left ? 'left' : 'right';
		};
		const named = layoutWords(toWords(undefined, 'Mia: Hi there. | Rex: Hello. | Mia: Where were you?'), size, map);
		expect(named.map(toward), picture.name).toEqual(['left', 'right', 'left']);
		const unnamed = layoutWords(toWords(undefined, 'Hi there. | Hello. | Where were you?'), size, map);
		expect(unnamed.map(toward), picture.name).toEqual(['left', 'right', 'left']);
	}
	// Nobody in the picture: tails point toward its centre.
	const empty = layoutWords(
		toWords(undefined, 'Hello? | Anyone?'),
		{ width: 832, height: 1216 },
		await findSubjects(await solid(832, 1216), { width: 832, height: 1216 }),
	);
	for (const item of empty) {
		const { baseX, baseY, tipX, tipY } = tailOf(item);
		expect(Math.hypot(416 - tipX, 608 - tipY)).toBeLessThan(Math.hypot(416 - baseX, 608 - baseY));
	}
});

test('in an 800 px strip the dialogue cap height is at least 16 px on every shape of panel, within 10 percent', async () => {
	const ctx = canvasModule().createCanvas(1, 1).getContext('2d');
	ctx.font = font('dialogue', 100);
	const capRatio = ctx.measureText('H').actualBoundingBoxAscent / 100;
	const caps: number[] = [];
	for (const [width, height] of SIZES) {
		for (const words of SCENE_WORDS) {
			const placed = layoutWords(toWords('caption' in words ? words.caption : undefined, words.dialogue), { width, height });
			for (const item of placed.filter((each) => each.kind === 'speech')) caps.push((item.size * capRatio * 800) / width);
		}
	}
	expect(Math.min(...caps)).toBeGreaterThanOrEqual(16);
	expect(Math.max(...caps) / Math.min(...caps)).toBeLessThanOrEqual(1.1);
});

test('a speech past five lines becomes butted balloons at the reading size, cut at sentence ends', () => {
	const long =
		'Listen to me. We walked for three days through the tunnels under the old city, and nobody knows the way back any more. The lamp is almost out. Something has been following us since the second bridge.';
	const placed = layoutWords(toWords(undefined, `Mia: ${long}`), { width: 832, height: 1216 });
	expect(placed.length).toBeGreaterThanOrEqual(2);
	expect(placed.slice(1).every((item) => item.butted)).toBe(true);
	expect(new Set(placed.map((item) => item.size)).size).toBe(1);
	for (const item of placed) expect(item.lines.length).toBeLessThanOrEqual(5);
	const text = (item: Placed) => item.lines.map((line) => line.runs.map((run) => run.text).join('')).join(' ');
	for (const item of placed.slice(0, -1)) expect(text(item)).toMatch(/[.!?]$/);
});

test('lines are balanced in a lozenge: middle longest, no lone last word, no line starting with punctuation; long words are hyphenated', () => {
	const lines = breakLines(words('I told you the tunnels were a bad idea, and you never listen to me, ever.', 'dialogue', 30, measure), 600, measure, 30, true);
	if (!lines) throw new Error('lines expected');
	expect(lines.length).toBeGreaterThanOrEqual(3);
	const widths = lines.map((line) => line.width);
	const middle = widths[Math.floor(widths.length / 2)] ?? 0;
	expect(middle).toBe(Math.max(...widths));
	expect(widths[0]).toBeLessThan(middle);
	const texts = lines.map((line) => line.runs.map((run) => run.text).join(''));
	expect(texts[texts.length - 1]?.split(' ').length).toBeGreaterThan(1);
	const dashed = breakLines(words('Wait—no, stop—listen to me before you open that door, please.', 'dialogue', 30, measure), 260, measure, 30, true);
	for (const line of dashed ?? []) expect(line.runs[0]?.text).not.toMatch(/^[—,.!?]/u);
	const hyphenated = breakLines(words('Supercalifragilisticexpialidocious!', 'dialogue', 30, measure), 200, measure, 30, true);
	const parts = (hyphenated ?? []).map((line) => line.runs.map((run) => run.text).join(''));
	expect(parts.length).toBeGreaterThan(1);
	for (const part of parts.slice(0, -1)) expect(part).toMatch(/-$/);
	expect(parts.join('').replace(/-/g, '')).toBe('Supercalifragilisticexpialidocious!');
});

test('balloons are ellipses: the body box corners keep the picture, its centre is paper', async () => {
	const picture = await solid(832, 1216);
	const placed = layoutWords(toWords(undefined, 'Mia: Where are we going tonight, do you know?'), { width: 832, height: 1216 });
	const lettered = await letterPanel(picture, toWords(undefined, 'Mia: Where are we going tonight, do you know?'));
	const { data, width } = await rgb(lettered.image);
	const body = placed[0]?.body;
	if (!body) throw new Error('a balloon expected');
	const at = (x: number, y: number) => data[(Math.round(y) * width + Math.round(x)) * 3] ?? 0;
	expect(at(body.x + 3, body.y + 3)).toBe(20);
	expect(at(body.x + body.width - 3, body.y + 3)).toBe(20);
	expect(at(body.x + body.width / 2, body.y + 6)).toBeGreaterThan(200);
});

test('emphasis marks are lettered as italic or heavy runs without the marks', () => {
	const placed = layoutWords(toWords(undefined, 'Mia: I said **never** touch it, and you _touched_ it!'), { width: 832, height: 1216 });
	const runs = placed.flatMap((item) => item.lines.flatMap((line) => line.runs));
	expect(runs.map((run) => run.text).join(' ')).not.toMatch(/[*_]/);
	expect(runs.find((run) => run.text.includes('never'))).toMatchObject({ role: 'caption', heavy: true });
	expect(runs.find((run) => run.text.includes('touched'))).toMatchObject({ role: 'caption', heavy: false });
	expect(runs.find((run) => run.text.includes('said'))).toMatchObject({ role: 'dialogue' });
});

test('whispers, thoughts and shouts get their own balloons', async () => {
	const lettered = await letterPanel(
		await solid(832, 1216),
		toWords(undefined, 'Mia: (whisper) Stay down. | Rex: (thought) She saw it. | Mia: WATCH OUT! | Rex: OK. | Mia: (shout) now'),
	);
	expect(lettered.boxes.map((box) => box.kind)).toEqual(['whisper', 'thought', 'shout', 'speech', 'shout']);
});
