// Every row of the engine table builds an input that the published `@civitai/client` input type of its
// engine accepts (transcribed strictly in tests/fakes/imageGenTypes.ts), at the row's own limits.
import { describe, expect, test } from 'vitest';
import { chooseWay } from '../../src/comic/engines/chooseWay.ts';
import { drawingStep } from '../../src/comic/engines/drawingStep.ts';
import { ENGINE_NAMES, ENGINES, engineOfInput } from '../../src/comic/engines/engines.ts';
import { picturePrompt } from '../../src/comic/engines/picturePrompt.ts';
import { UserFacingError } from '../../src/comic/errors.ts';
import { imageGenSchemaFor, imageGenTakes } from '../fakes/imageGenTypes.ts';
import { type Check, publishedTypeErrors } from '../publishedTypes.ts';

const urls = (n: number) => Array.from({ length: n }, (_, i) => `https://orchestrator.example/v2/consumer/blobs/b${i}.jpeg?sig=x`);

describe.each(ENGINE_NAMES)('engine %s', (name) => {
	const engine = ENGINES[name];
	test('its input matches its published type, at the smallest and the largest request', () => {
		for (const request of [
			{ prompt: 'Mira (image 1) waves', images: urls(1), seed: 0, takes: 1 },
			{ prompt: 'x'.repeat(60_000), images: urls(12), seed: 2_147_483_647, takes: 9 },
		]) {
			const input = engine.input(request);
			const schema = imageGenSchemaFor(input);
			expect(schema, `no published type for ${name}`).toBeDefined();
			const parsed = schema?.safeParse(input);
			expect(parsed?.success, JSON.stringify(parsed?.error?.issues)).toBe(true);
			expect(input.images?.length).toBeLessThanOrEqual(engine.maxImages);
			expect(input.prompt.length).toBeLessThanOrEqual(engine.maxPrompt);
			expect(imageGenTakes(input)).toBe(Math.min(engine.maxTakes, Math.max(1, request.takes)));
			expect(input[engine.takesField]).toBe(Math.min(engine.maxTakes, request.takes));
			expect(input[engine.takesField === 'numImages' ? 'quantity' : 'numImages']).toBeUndefined();
			expect('seed' in input).toBe(engine.seed);
			if ('aspectRatio' in engine.size) expect(input.aspectRatio).toBe('3:4');
			else {
				expect(input.width).toBe(engine.size.width);
				expect(Number(input.height) / Number(input.width)).toBeCloseTo(4 / 3, 1);
			}
			expect(engineOfInput(input)).toBe(name);
			expect(drawingStep(input)?.$type).toBe('imageGen');
		}
	});
});

test('a field the published type lacks is refused (the transcription is strict, so the test above can fail)', () => {
	const input = { ...ENGINES['nano-banana-pro'].input({ prompt: 'p', images: urls(1), seed: 5, takes: 1 }), seed: 5 };
	expect(imageGenSchemaFor(input)?.safeParse(input).success).toBe(false);
	const google = { ...ENGINES['nano-banana-2'].input({ prompt: 'p', images: urls(1), seed: 5, takes: 1 }), quantity: 1 };
	expect(imageGenSchemaFor(google)?.safeParse(google).success).toBe(false);
});

test('the way of drawing: LoRA casts keep their checkpoint; pictures go to nano-banana-2; mixing needs pictures for everyone', () => {
	expect(chooseWay('auto', [{ name: 'Rex', lora: true, pictures: 0 }])).toEqual({ kind: 'checkpoint' });
	expect(chooseWay('auto', [{ name: 'Rex', lora: true, pictures: 2 }])).toEqual({ kind: 'checkpoint' });
	const pictures = chooseWay('auto', [{ name: 'Mira', lora: false, pictures: 1 }]);
	expect(pictures.kind === 'pictures' && pictures.engine.name).toBe('nano-banana-2');
	const mixed = chooseWay('auto', [
		{ name: 'Rex', lora: true, pictures: 1 },
		{ name: 'Mira', lora: false, pictures: 1 },
	]);
	expect(mixed.kind).toBe('pictures');
	expect(() =>
		chooseWay('auto', [
			{ name: 'Rex', lora: true, pictures: 0 },
			{ name: 'Mira', lora: false, pictures: 1 },
		]),
	).toThrow(UserFacingError);
	const seedream = chooseWay('seedream', [{ name: 'Rex', lora: true, pictures: 1 }]);
	expect(seedream.kind === 'pictures' && seedream.engine.name).toBe('seedream');
	expect(() => chooseWay('flux2', [{ name: 'Rex', lora: true, pictures: 0 }])).toThrow(/has none/);
});

test('the prompt names each character with its images, in the order they are sent', () => {
	const prompt = picturePrompt(
		ENGINES.flux2,
		[
			{ name: 'Mira', description: null, count: 1 },
			{ name: 'Bolt', description: 'a tin robot', count: 2 },
		],
		'they argue on a rooftop',
	);
	expect(prompt).toBe(
		'Comic panel with Mira (image 1); Bolt (images 2 and 3: a tin robot). Keep each character exactly as in their reference images. they argue on a rooftop',
	);
	expect(picturePrompt(ENGINES.flux2, [{ name: 'M', description: null, count: 1 }], 'y'.repeat(5000)).length).toBe(1000);
});

test('every row, and its step, fit the published @civitai/client types, read by the TypeScript checker', () => {
	const published = {
		'nano-banana-2': 'Civitai.NanoBanana2ImageGenInput',
		'nano-banana-pro': 'Civitai.NanoBananaProImageGenInput',
		seedream: 'Civitai.SeedreamImageGenInput',
		flux2: 'Civitai.Flux2DevEditImageInput',
		qwen: 'Civitai.Qwen20bEditImageGenInput',
	} as const;
	const checks: Check[] = ENGINE_NAMES.flatMap((name) => {
		const input = ENGINES[name].input({ prompt: 'Mira (image 1) waves', images: urls(2), seed: 7, takes: 2 });
		return [
			{ name: `${name} input`, type: published[name], value: input },
			// The generated template types its input as the bare base input: the input is checked on the line above.
			{ name: `${name} step`, type: "Omit<Civitai.ImageGenStepTemplate, 'input'>", value: { $type: 'imageGen', priority: 'low', timeout: '00:21:00' } },
		];
	});
	// A check that must fail, so this test can: Nano Banana Pro has no seed.
	checks.push({
		name: 'pro with a seed',
		type: published['nano-banana-pro'],
		value: { ...ENGINES['nano-banana-pro'].input({ prompt: 'p', images: urls(1), seed: 1, takes: 1 }), seed: 1 },
	});
	const errors = publishedTypeErrors(checks);
	for (const check of checks.slice(0, -1)) expect(errors.get(check.name), check.name).toEqual([]);
	expect(errors.get('pro with a seed')?.length).toBeGreaterThan(0);
});
