// Every row of the family table (src/comic/baseModels.ts): the workflow the bot submits for it, taken
// from the fake orchestrator (which validates it), is type-checked against the published
// `@civitai/client` types, the input against the very type Civitai's own ecosystem handler builds.
// And the base-model strings Civitai returns map to families exactly.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Orchestrator } from '../../src/civitai/orchestrator.ts';
import {
	type BaseModelGroup,
	baseModelGroup,
	baseModelRefusal,
	FAMILIES,
	GENERATION_DEFAULTS,
	QUALITY_NEGATIVE_PROMPT,
	SUPPORTED_BASE_MODELS,
} from '../../src/comic/baseModels.ts';
import { generationInput } from '../../src/comic/generation/generationInput.ts';
import { drawingStep } from '../../src/comic/engines/drawingStep.ts';
import { workflowRequestOf } from '../../src/comic/generation/imageGenInput.ts';
import { type FakeOrchestrator, startFakeOrchestrator } from '../fakes/orchestrator.ts';
import { type Check, publishedTypeErrors } from '../publishedTypes.ts';

let fake: FakeOrchestrator;
let client: Orchestrator;
beforeAll(async () => {
	fake = await startFakeOrchestrator();
	client = new Orchestrator({ baseUrl: fake.url, token: fake.token, timeoutMs: 5_000 });
});
afterAll(async () => {
	await fake?.close();
});

const loraOf = (family: (typeof FAMILIES)[number]) => `urn:air:${family.ecosystem}:lora:civitai:1000@2000`;

/** What the bot submits for one panel of the family with two characters, as the fake orchestrator received it. */
async function submittedFor(group: BaseModelGroup): Promise<{ step: Record<string, unknown>; body: Record<string, unknown> }> {
	const family = GENERATION_DEFAULTS[group];
	const [baseModel = ''] = baseModelsOf(group);
	const params = generationInput(
		[
			{ air: loraOf(family), baseModel, strength: 0.8 },
			{ air: `urn:air:${family.ecosystem}:lora:civitai:1001@2001`, baseModel },
		],
		'hero, a rooftop at night',
		42,
		2,
	);
	const before = fake.submissions.length;
	const drawing = drawingStep(params);
	if (!drawing) throw new Error('no step for the params');
	await client.submit({ step: drawing, externalId: `family-${group}`, tags: ['comics'], allowMatureContent: false });
	const body = fake.submissions[before]?.body as Record<string, unknown>;
	const [step] = body.steps as Record<string, unknown>[];
	if (!step) throw new Error('no step submitted');
	return { step, body };
}

/** A base-model string Civitai returns for the family. */
function baseModelsOf(group: BaseModelGroup): string[] {
	return CIVITAI_BASE_MODELS.filter(([, expected]) => expected === group).map(([name]) => name);
}

describe('each row holds what Civitai generator uses for the family', () => {
	const stepOf = async (group: BaseModelGroup) => (await submittedFor(group)).step;

	test.each([
		['SD1', 'urn:air:sd1:checkpoint:civitai:4384@128713', 512, 768, 'euler', 25, 7],
		['SDXL', 'urn:air:sdxl:checkpoint:civitai:101055@128078', 832, 1216, 'euler', 25, 7],
		['Pony', 'urn:air:sdxl:checkpoint:civitai:257749@290640', 832, 1216, 'euler', 25, 7],
		['Illustrious', 'urn:air:sdxl:checkpoint:civitai:795765@889818', 832, 1216, 'euler', 25, 7],
		['NoobAI', 'urn:air:sdxl:checkpoint:civitai:833294@1190596', 832, 1216, 'euler', 25, 7],
		['Flux1', 'urn:air:flux1:checkpoint:civitai:618692@691639', 832, 1216, 'undefined', 28, 3.5],
		['FluxKrea', 'urn:air:flux1:checkpoint:civitai:618692@2068000', 832, 1216, 'undefined', 25, 3.5],
		['Chroma', 'urn:air:chroma:checkpoint:civitai:1330309@2164239', 832, 1216, 'euler', 25, 3.5],
		['HiDream', 'urn:air:hidream:checkpoint:civitai:1562709@1771369', 832, 1216, 'lcm', 28, 1],
		['PonyV7', 'urn:air:auraflow:checkpoint:civitai:1901521@2152373', 832, 1216, 'euler', 40, 3.5],
	] as const)('%s is drawn by textToImage on %s at %ix%i, %s, %i steps, CFG %d', async (group, checkpoint, width, height, scheduler, steps, cfgScale) => {
		const step = await stepOf(group);
		expect(step.$type).toBe('textToImage');
		expect(step.input).toMatchObject({ model: checkpoint, width, height, scheduler, steps, cfgScale, seed: 42, quantity: 2 });
		const input = step.input as Record<string, unknown>;
		const family = GENERATION_DEFAULTS[group];
		const type = 'loraType' in family ? { type: family.loraType } : {};
		expect(input.additionalNetworks).toEqual({
			[loraOf(family)]: { strength: 0.8, ...type },
			[`urn:air:${family.ecosystem}:lora:civitai:1001@2001`]: { strength: 1, ...type },
		});
		// Clip skip and the quality negative prompt only on the SD 1 and SDXL families, as Civitai's generator.
		const sdFamily = ['SD1', 'SDXL', 'Pony', 'Illustrious', 'NoobAI'].includes(group);
		expect(input.negativePrompt).toBe(sdFamily ? QUALITY_NEGATIVE_PROMPT : undefined);
		expect(input.clipSkip).toBe(sdFamily && group !== 'SD1' ? 2 : undefined);
	});

	const loras = { 'urn:air:X:lora:civitai:1000@2000': 0.8, 'urn:air:X:lora:civitai:1001@2001': 1 };
	const lorasOf = (group: BaseModelGroup) =>
		Object.fromEntries(Object.entries(loras).map(([air, strength]) => [air.replace('X', GENERATION_DEFAULTS[group].ecosystem), strength]));
	const common = { operation: 'createImage', prompt: 'hero, a rooftop at night', seed: 42, quantity: 2 };
	const negative = { negativePrompt: QUALITY_NEGATIVE_PROMPT };

	test.each([
		[
			'ZImageTurbo',
			{
				engine: 'sdcpp',
				ecosystem: 'zImage',
				model: 'turbo',
				width: 832,
				height: 1216,
				cfgScale: 1,
				steps: 9,
				sampleMethod: 'euler',
				schedule: 'simple',
				diffuserModel: 'urn:air:zimageturbo:checkpoint:civitai:2168935@2442439',
			},
		],
		[
			'ZImageBase',
			{
				engine: 'sdcpp',
				ecosystem: 'zImage',
				model: 'base',
				width: 832,
				height: 1216,
				cfgScale: 4,
				steps: 20,
				sampleMethod: 'euler',
				schedule: 'simple',
				diffuserModel: 'urn:air:zimagebase:checkpoint:civitai:2342797@2635223',
				...negative,
			},
		],
		['Qwen', { engine: 'sdcpp', ecosystem: 'qwen', model: '20b', version: '2512', width: 832, height: 1216, cfgScale: 3.5, steps: 25 }],
		[
			'Flux2Klein9B',
			{ engine: 'flux2', model: 'klein', modelVersion: '9b', width: 832, height: 1216, cfgScale: 1, steps: 12, sampleMethod: 'euler', schedule: 'simple' },
		],
		[
			'Flux2Klein9BBase',
			{
				engine: 'flux2',
				model: 'klein',
				modelVersion: '9b-base',
				width: 832,
				height: 1216,
				cfgScale: 7,
				steps: 30,
				sampleMethod: 'euler',
				schedule: 'simple',
				...negative,
			},
		],
		[
			'Flux2Klein4B',
			{ engine: 'flux2', model: 'klein', modelVersion: '4b', width: 832, height: 1216, cfgScale: 1, steps: 12, sampleMethod: 'euler', schedule: 'simple' },
		],
		[
			'Flux2Klein4BBase',
			{
				engine: 'flux2',
				model: 'klein',
				modelVersion: '4b-base',
				width: 832,
				height: 1216,
				cfgScale: 7,
				steps: 30,
				sampleMethod: 'euler',
				schedule: 'simple',
				...negative,
			},
		],
		[
			'Anima',
			{
				engine: 'comfy',
				ecosystem: 'anima',
				width: 832,
				height: 1216,
				cfgScale: 7,
				steps: 25,
				sampler: 'euler_ancestral',
				scheduler: 'simple',
				diffuserModel: 'urn:air:anima:checkpoint:civitai:2458426@2945208',
				...negative,
			},
		],
		[
			'Ernie',
			{
				engine: 'comfy',
				ecosystem: 'ernie',
				model: 'ernie',
				width: 848,
				height: 1264,
				cfgScale: 4,
				steps: 20,
				sampler: 'euler',
				scheduler: 'simple',
				...negative,
			},
		],
		[
			'Lens',
			{
				engine: 'comfy',
				ecosystem: 'lens',
				model: 'normal',
				width: 832,
				height: 1248,
				cfgScale: 5,
				steps: 20,
				sampler: 'euler',
				scheduler: 'simple',
				...negative,
			},
		],
		[
			'Krea2',
			{
				engine: 'comfy',
				ecosystem: 'krea2',
				model: 'raw',
				width: 832,
				height: 1248,
				cfgScale: 3.5,
				steps: 30,
				sampler: 'euler',
				scheduler: 'simple',
				...negative,
			},
		],
		['Boogu', { engine: 'comfy', ecosystem: 'boogu', model: 'base', width: 832, height: 1216, cfgScale: 4, steps: 35, ...negative }],
	] as const)('%s is drawn by imageGen exactly so, LoRAs keyed by AIR with their strengths', async (group, expected) => {
		const step = await stepOf(group);
		expect(step.$type).toBe('imageGen');
		expect(step.input).toEqual({ ...common, ...expected, loras: lorasOf(group) });
	});

	test('Flux.2 Dev is drawn by the flux2 engine with guidance, inference steps and its LoRAs as a list', async () => {
		const step = await stepOf('Flux2');
		expect(step.$type).toBe('imageGen');
		expect(step.input).toEqual({
			...common,
			engine: 'flux2',
			model: 'dev',
			width: 832,
			height: 1216,
			guidanceScale: 3.5,
			numInferenceSteps: 25,
			loras: Object.entries(lorasOf('Flux2')).map(([air, strength]) => ({ air, strength })),
		});
	});

	test('a family without LoRAs sends no loras field; the stored params name the family and the checkpoint', () => {
		const params = generationInput([{ air: 'urn:air:qwen:lora:civitai:1@2', baseModel: 'Qwen' }], 'p', 1);
		expect(params).toMatchObject({ family: 'Qwen', model: 'urn:air:qwen:checkpoint:civitai:2268063@2552908' });
		const request = workflowRequestOf({ ...params, additionalNetworks: {} });
		expect(request.imageGen).not.toHaveProperty('loras');
		// Params stored before families (no `family`) stay textToImage.
		const { family: _family, ...legacy } = generationInput([{ air: 'urn:air:sdxl:lora:civitai:1@2', baseModel: 'SDXL 1.0' }], 'p', 1);
		expect(workflowRequestOf(legacy).imageGen).toBeUndefined();
	});
});

/** Every base-model string of Civitai's `baseModelRecords` (packages/civitai-shared/src/basemodel.constants.ts) and what the bot makes of it. */
const CIVITAI_BASE_MODELS: readonly (readonly [string, BaseModelGroup | 'video' | 'refused'])[] = [
	['Anima', 'Anima'],
	['AuraFlow', 'PonyV7'],
	['Chroma', 'Chroma'],
	['CogVideoX', 'video'],
	['Ernie', 'Ernie'],
	['Flux.1 S', 'Flux1'],
	['Flux.1 D', 'Flux1'],
	['Flux.1 Krea', 'FluxKrea'],
	['Flux.1 Kontext', 'refused'],
	['Flux.2 D', 'Flux2'],
	['Flux.2 Klein 9B', 'Flux2Klein9B'],
	['Flux.2 Klein 9B-base', 'Flux2Klein9BBase'],
	['Flux.2 Klein 4B', 'Flux2Klein4B'],
	['Flux.2 Klein 4B-base', 'Flux2Klein4BBase'],
	['Flux 3 Video', 'video'],
	['Grok', 'refused'],
	['HappyHorse', 'video'],
	['HiDream', 'HiDream'],
	['HiDream-O1', 'refused'],
	['Hunyuan 1', 'refused'],
	['Hunyuan Video', 'video'],
	['Ideogram 4.0', 'refused'],
	['Boogu', 'Boogu'],
	['Illustrious', 'Illustrious'],
	['Imagen4', 'refused'],
	['Kolors', 'refused'],
	['Krea 2', 'Krea2'],
	['LTXV', 'video'],
	['LTXV2', 'video'],
	['LTXV 2.3', 'video'],
	['Lens', 'Lens'],
	['Lumina', 'refused'],
	['MageFlow', 'refused'],
	['MAI', 'refused'],
	['Mochi', 'video'],
	['Nano Banana', 'refused'],
	['NoobAI', 'NoobAI'],
	['ODOR', 'refused'],
	['OpenAI', 'refused'],
	['Upscaler', 'refused'],
	['Other', 'refused'],
	['PixArt a', 'refused'],
	['PixArt E', 'refused'],
	['Playground v2', 'refused'],
	['Pony', 'Pony'],
	['Pony V7', 'PonyV7'],
	['Qwen', 'Qwen'],
	['Qwen 2', 'refused'],
	['Qwen 3', 'refused'],
	['Stable Cascade', 'refused'],
	['SD 1.4', 'SD1'],
	['SD 1.5', 'SD1'],
	['SD 1.5 LCM', 'SD1'],
	['SD 1.5 Hyper', 'SD1'],
	['SD 2.0', 'refused'],
	['SD 2.0 768', 'refused'],
	['SD 2.1', 'refused'],
	['SD 2.1 768', 'refused'],
	['SD 2.1 Unclip', 'refused'],
	['SD 3', 'refused'],
	['SD 3.5', 'refused'],
	['SD 3.5 Large', 'refused'],
	['SD 3.5 Large Turbo', 'refused'],
	['SD 3.5 Medium', 'refused'],
	['SDXL 0.9', 'SDXL'],
	['SDXL 1.0', 'SDXL'],
	['SDXL 1.0 LCM', 'SDXL'],
	['SDXL Lightning', 'SDXL'],
	['SDXL Hyper', 'SDXL'],
	['SDXL Turbo', 'SDXL'],
	['SDXL Distilled', 'SDXL'],
	['Reve', 'refused'],
	['Seedream', 'refused'],
	['SVD', 'video'],
	['SVD XT', 'video'],
	['Sora 2', 'video'],
	['Veo 3', 'video'],
	['Wan Video', 'video'],
	['Wan Video 1.3B t2v', 'video'],
	['Wan Video 14B t2v', 'video'],
	['Wan Video 14B i2v 480p', 'video'],
	['Wan Video 14B i2v 720p', 'video'],
	['Wan Video 2.2 TI2V-5B', 'video'],
	['Wan Video 2.2 I2V-A14B', 'video'],
	['Wan Video 2.2 T2V-A14B', 'video'],
	['Wan Video 2.5 T2V', 'video'],
	['Wan Video 2.5 I2V', 'video'],
	['Wan Image 2.7', 'refused'],
	['Wan Video 2.7', 'video'],
	['ZImageTurbo', 'ZImageTurbo'],
	['ZImageBase', 'ZImageBase'],
	['Vidu Q1', 'video'],
	['MiniMax H3', 'video'],
	['Kling', 'video'],
	['Seedance', 'video'],
	['ACE Audio', 'video'],
	['PolyGen', 'video'],
	['Tripo', 'video'],
	['Hunyuan3D', 'video'],
];

describe("Civitai's base-model strings map to families exactly", () => {
	test.each(CIVITAI_BASE_MODELS)('%s → %s', (baseModel, expected) => {
		if (expected === 'video' || expected === 'refused') {
			expect(baseModelGroup(baseModel)).toBeUndefined();
			const refusal = baseModelRefusal('Some LoRA', baseModel) ?? '';
			expect(refusal).toContain(`**${baseModel}**`);
			if (expected === 'video') expect(refusal).toContain('video, sound or 3D');
			else expect(refusal).toContain('cannot draw with');
			expect(refusal).toContain('Z-Image Turbo');
		} else {
			expect(baseModelGroup(baseModel)).toBe(expected);
			expect(baseModelRefusal('Some LoRA', baseModel)).toBeUndefined();
		}
	});

	test('matching is exact, case and outer spaces aside: near names are not families', () => {
		expect(baseModelGroup('  zimageturbo ')).toBe('ZImageTurbo');
		expect(baseModelGroup('flux.2 klein 9b')).toBe('Flux2Klein9B');
		for (const near of ['Flux.2', 'Flux.2 Klein', 'Flux.2 Klein 9B base', 'Qwen 2.5', 'SDXL', 'SD 1.6', 'Pony V8', 'ZImage', ''])
			expect(baseModelGroup(near)).toBeUndefined();
	});

	test('every family has a base-model string and the refusal names every family', () => {
		for (const family of FAMILIES) {
			expect(baseModelsOf(family.group).length).toBeGreaterThan(0);
			expect(SUPPORTED_BASE_MODELS).toContain(family.label);
		}
	});
});

// Last in the file: the type checks block the event loop for seconds, and a request after them could
// meet a keep-alive socket the fake server has closed meanwhile.
describe('every family row, against the published @civitai/client types', () => {
	test('the fake orchestrator refuses an imageGen step that is not what the engine takes', async () => {
		const params = generationInput([{ air: 'urn:air:zimageturbo:lora:civitai:1@2', baseModel: 'ZImageTurbo' }], 'p', 1);
		const request = workflowRequestOf(params);
		if (!request.imageGen) throw new Error('Z-Image Turbo is drawn by imageGen');
		const wrong = [
			{ ...request.imageGen, engine: 'nope' },
			{ ...request.imageGen, additionalNetworks: params.additionalNetworks },
			{ ...request.imageGen, loras: [{ air: 'urn:air:zimageturbo:lora:civitai:1@2', strength: 1 }] },
		];
		for (const imageGen of wrong)
			await expect(
				client.submit({ step: { $type: 'imageGen', input: imageGen }, externalId: 'wrong', tags: [], allowMatureContent: false }),
			).rejects.toMatchObject({
				status: 400,
			});
	});
	test('each submitted workflow, its step and its input fit the published types, the input the one Civitai builds for that family', async () => {
		const checks: Check[] = [];
		for (const family of FAMILIES) {
			const { step, body } = await submittedFor(family.group);
			const template = family.step === 'textToImage' ? 'Civitai.TextToImageStepTemplate' : 'Civitai.ImageGenStepTemplate';
			// The generated WorkflowTemplate types its steps as the bare base step (the input is checked below), and
			// marks `currencies` required, which the bot leaves to the orchestrator (the key's own Buzz).
			const bare = (body.steps as Record<string, unknown>[]).map((each) => ({ ...each, input: undefined }));
			checks.push({ name: `${family.group} workflow`, type: "Omit<Civitai.WorkflowTemplate, 'currencies'>", value: { ...body, steps: bare } });
			checks.push({ name: `${family.group} step`, type: `Omit<${template}, 'input'>`, value: { ...step, input: undefined } });
			checks.push({ name: `${family.group} input`, type: `Civitai.${family.publishedType}`, value: step.input });
		}
		const errors = publishedTypeErrors(checks);
		expect(Object.fromEntries([...errors].filter(([, list]) => list.length > 0))).toEqual({});
		expect(errors.size).toBe(FAMILIES.length * 3);
	}, 60_000);

	test('the check fails where the input does not fit: a wrong scheduler, an unknown field, a string for a number', () => {
		const errors = publishedTypeErrors([
			{ name: 'scheduler', type: 'Civitai.TextToImageInput', value: { prompt: 'p', cfgScale: 1, seed: 1, scheduler: 'Euler a' } },
			{
				name: 'field',
				type: 'Civitai.ZImageTurboCreateImageGenInput',
				value: { engine: 'sdcpp', ecosystem: 'zImage', model: 'turbo', operation: 'createImage', prompt: 'p', additionalNetworks: {} },
			},
			{
				name: 'number',
				type: 'Civitai.Flux2DevImageGenInput',
				value: { engine: 'flux2', model: 'dev', operation: 'createImage', prompt: 'p', guidanceScale: '3' },
			},
			{
				name: 'fits',
				type: 'Civitai.Qwen20bCreateImageGenInput',
				value: { engine: 'sdcpp', ecosystem: 'qwen', model: '20b', version: '2512', operation: 'createImage', prompt: 'p' },
			},
		]);
		expect(errors.get('scheduler')).not.toEqual([]);
		expect(errors.get('field')).not.toEqual([]);
		expect(errors.get('number')).not.toEqual([]);
		expect(errors.get('fits')).toEqual([]);
	}, 60_000);
});
