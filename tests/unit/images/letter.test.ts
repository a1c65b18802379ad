import { expect, test } from 'vitest';
import { parseDialogue } from '../../../src/images/lettering/dialogue.ts';
import { type LetteredBox, letterPanel } from '../../../src/images/lettering/letter.ts';
import { LetteringError } from '../../../src/images/lettering/letteringError.ts';
import { gradient, rgb, solid } from './pictures.ts';

const inside = (boxes: readonly LetteredBox[], x: number, y: number) =>
	boxes.some((box) => x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height);

test('lettering changes the picture inside the boxes it reports and leaves every other pixel as it was', async () => {
	const picture = await gradient(832, 1216);
	const lettered = await letterPanel(picture, {
		caption: 'Meanwhile, far below the city, something stirred.',
		balloons: parseDialogue('Mia: Did you hear that? | Rex: Hear what? It was only the wind.'),
	});
	expect(lettered.mime).toBe('image/png');
	expect([lettered.width, lettered.height]).toEqual([832, 1216]);
	expect(lettered.boxes.map((box) => box.kind)).toEqual(['caption', 'speech', 'speech']);
	const before = await rgb(picture);
	const after = await rgb(lettered.image);
	expect([after.width, after.height]).toEqual([832, 1216]);
	const changedIn = lettered.boxes.map(() => 0);
	let changedOutside = 0;
	for (let y = 0; y < 1216; y++) {
		for (let x = 0; x < 832; x++) {
			const at = (y * 832 + x) * 3;
			const changed = before.data[at] !== after.data[at] || before.data[at + 1] !== after.data[at + 1] || before.data[at + 2] !== after.data[at + 2];
			if (!changed) continue;
			const box = lettered.boxes.findIndex((candidate) => inside([candidate], x, y));
			if (box < 0) changedOutside++;
			else changedIn[box] = (changedIn[box] ?? 0) + 1;
		}
	}
	expect(changedOutside).toBe(0);
	lettered.boxes.forEach((box, index) => {
		expect(changedIn[index], `box ${index}`).toBeGreaterThan(box.width * box.height * 0.35);
		expect(box.x).toBeGreaterThanOrEqual(0);
		expect(box.y).toBeGreaterThanOrEqual(0);
		expect(box.x + box.width).toBeLessThanOrEqual(832);
		expect(box.y + box.height).toBeLessThanOrEqual(1216);
	});
});

test('balloons alternate sides when the speaker changes and stay on the side while one speaker goes on', async () => {
	const lettered = await letterPanel(await solid(832, 1216), { balloons: parseDialogue('Mia: Hi. | Rex: Hello. | Rex: Again. | Mia: Bye.') });
	const sides = lettered.boxes.map((box) => (box.x < 832 - (box.x + box.width) ? 'left' : 'right'));
	expect(sides).toEqual(['left', 'right', 'right', 'left']);
	const tops = lettered.boxes.map((box) => box.y);
	expect(tops).toEqual([...tops].sort((a, b) => a - b));
});

/** The most separate runs of balloon-white pixels in a row near a box's top: a spiky outline makes several. */
async function whiteRunsNearTop(image: Buffer, box: LetteredBox): Promise<number> {
	const { data, width } = await rgb(image);
	let most = 0;
	for (let y = box.y; y < box.y + box.height * 0.08; y++) {
		let runs = 0;
		let white = false;
		for (let x = box.x; x < box.x + box.width; x++) {
			const at = (y * width + x) * 3;
			const now = (data[at] ?? 0) > 230 && (data[at + 1] ?? 0) > 230 && (data[at + 2] ?? 0) > 230;
			if (now && !white) runs++;
			white = now;
		}
		most = Math.max(most, runs);
	}
	return most;
}

test('a shouted line gets a spiky balloon, a spoken one a smooth balloon', async () => {
	const lettered = await letterPanel(await solid(832, 1216), { balloons: parseDialogue('Mia: Where are we going tonight? | Rex: WATCH OUT, IT IS FALLING!') });
	const [speech, shout] = lettered.boxes;
	if (!speech || !shout) throw new Error('two boxes expected');
	expect([speech.kind, shout.kind]).toEqual(['speech', 'shout']);
	expect(await whiteRunsNearTop(lettered.image, speech)).toBe(1);
	expect(await whiteRunsNearTop(lettered.image, shout)).toBeGreaterThanOrEqual(4);
});

test('long words are split into butted balloons at one size; words that cannot fit are refused with how many would', async () => {
	const long = 'We have walked for days through the tunnels under the old city. Nobody knows the way back any more. The lamp is almost out and the map is wet.';
	const lettered = await letterPanel(await solid(832, 1216), { caption: 'Day three.', balloons: parseDialogue(`Mia: ${long} ${long}`) });
	expect(lettered.boxes.filter((box) => box.kind === 'speech').length).toBeGreaterThanOrEqual(2);
	expect(lettered.boxes.reduce((sum, box) => sum + box.width * box.height, 0)).toBeLessThanOrEqual(832 * 1216 * 0.6);

	// Within the option limits (300 and 600 characters), but more than a small picture holds.
	const words = {
		caption: 'A long night. '.repeat(21),
		balloons: parseDialogue(`Mia: ${'We have to go on. '.repeat(16)} | Rex: ${'No, we stay. '.repeat(22)}`),
	};
	const error = await letterPanel(await solid(384, 384), words).catch((caught: unknown) => caught);
	expect(error).toBeInstanceOf(LetteringError);
	if (!(error instanceof LetteringError)) return;
	expect(error.problem).toBe('does-not-fit');
	expect(error.charactersThatFit).toBeGreaterThan(50);
	expect(error.charactersThatFit).toBeLessThan(1400);
	expect(error.message).toContain(`about ${error.charactersThatFit} of their`);
});

test('Cyrillic, Greek and Devanagari letter from the fallback font; characters no shipped font has are refused by code point', async () => {
	const picture = await solid(512, 768);
	const lettered = await letterPanel(picture, { caption: 'Γειά σου', balloons: parseDialogue('Mia: Привет, как дела? | Rex: नमस्ते दोस्त') });
	expect(lettered.boxes.map((box) => box.kind)).toEqual(['caption', 'speech', 'speech']);
	// Egyptian hieroglyphs and Linear B are in no shipped font; emoji and Han are (tests/unit/images/scripts.test.ts).
	const error = await letterPanel(picture, { balloons: parseDialogue('Mia: Привет 😀 é 漢 𓀀 𐀀') }).catch((caught: unknown) => caught);
	expect(error).toBeInstanceOf(LetteringError);
	if (!(error instanceof LetteringError)) return;
	expect(error.problem).toBe('unsupported-characters');
	expect(error.characters).toEqual(['𓀀', '𐀀']);
	expect(error.message).toContain('U+13000');
	expect(error.message).toContain('U+10000');
	// Accented Latin, curly quotes and dashes are in Comic Neue and Bangers.
	await expect(letterPanel(picture, { caption: 'Café “Œuvre” — naïve, Łódź…', balloons: parseDialogue('ÇA VA, ÅSA!') })).resolves.toBeDefined();
});

test('mentions and code marks are lettered as plain text: the same pixels as the plain words', async () => {
	const picture = await solid(512, 768);
	const marked = await letterPanel(picture, { balloons: parseDialogue('Mia: Look at `this`, <@123456789>! @everyone') });
	const plain = await letterPanel(picture, { balloons: parseDialogue('Mia: Look at this, @user! @everyone') });
	expect((await rgb(marked.image)).data.equals((await rgb(plain.image)).data)).toBe(true);
});

test('a picture without words comes back as it was', async () => {
	const picture = await gradient(512, 768);
	const lettered = await letterPanel(picture, { balloons: [] });
	expect(lettered.boxes).toEqual([]);
	expect((await rgb(lettered.image)).data.equals((await rgb(picture)).data)).toBe(true);
});
