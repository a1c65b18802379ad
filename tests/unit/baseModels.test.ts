import { expect, test } from 'vitest';
import { baseModelGroup, GENERATION_DEFAULTS, QUALITY_NEGATIVE_PROMPT } from '../../src/comic/baseModels.ts';
import { generationInput } from '../../src/comic/generation/generationInput.ts';

test.each([
	['SD 1.4', 'SD1'],
	['SD 1.5', 'SD1'],
	['SD 1.5 LCM', 'SD1'],
	['SD 1.5 Hyper', 'SD1'],
	['SDXL 1.0', 'SDXL'],
	['SDXL Lightning', 'SDXL'],
	['SDXL Hyper', 'SDXL'],
	['SDXL Turbo', 'SDXL'],
	['Pony', 'Pony'],
	['Illustrious', 'Illustrious'],
	['NoobAI', 'NoobAI'],
	['Flux.1 D', 'Flux1'],
	['Flux.1 S', 'Flux1'],
])('base model %s belongs to the %s group', (baseModel, group) => {
	expect(baseModelGroup(baseModel)).toBe(group);
});

test.each(['SD 3', 'SD 3.5', 'Flux.2', 'Qwen 2', 'Other', 'SD 2.1', 'Hunyuan 1', ''])('base model "%s" is not supported', (baseModel) => {
	expect(baseModelGroup(baseModel)).toBeUndefined();
});

test('an SDXL-family LoRA gets the contract parameters, clipSkip 2 and the quality negative prompt', () => {
	const input = generationInput([{ air: 'urn:air:sdxl:lora:civitai:1@2', baseModel: 'Pony' }], 'mychar, on a roof', 42);
	expect(input).toEqual({
		model: 'urn:air:sdxl:checkpoint:civitai:257749@290640',
		additionalNetworks: { 'urn:air:sdxl:lora:civitai:1@2': { strength: 1 } },
		prompt: 'mychar, on a roof',
		negativePrompt: QUALITY_NEGATIVE_PROMPT,
		scheduler: 'euler',
		steps: 25,
		cfgScale: 7,
		clipSkip: 2,
		seed: 42,
		width: 832,
		height: 1216,
		quantity: 1,
		family: 'Pony',
	});
});

test('SD1 draws 512x768 with DreamShaper and no clipSkip', () => {
	const input = generationInput([{ air: 'urn:air:sd1:lora:civitai:1@2', baseModel: 'SD 1.5' }], 'p', 1);
	expect(input).toMatchObject({ model: GENERATION_DEFAULTS.SD1.checkpoint, width: 512, height: 768, steps: 25, cfgScale: 7 });
	expect(input).not.toHaveProperty('clipSkip');
});

test('Flux sends the "undefined" scheduler, 28 steps, cfg 3.5, and neither negative prompt nor clipSkip', () => {
	const input = generationInput([{ air: 'urn:air:flux1:lora:civitai:1@2', baseModel: 'Flux.1 D' }], 'p', 1);
	expect(input).toMatchObject({
		model: 'urn:air:flux1:checkpoint:civitai:618692@691639',
		scheduler: 'undefined',
		steps: 28,
		cfgScale: 3.5,
		width: 832,
		height: 1216,
	});
	expect(input).not.toHaveProperty('negativePrompt');
	expect(input).not.toHaveProperty('clipSkip');
});

test('the negative prompt is the contract quality filter word for word', () => {
	expect(QUALITY_NEGATIVE_PROMPT).toBe(
		'blurry, low quality, deformed, bad anatomy, bad hands, extra fingers, missing fingers, text, watermark, signature, jpeg artifacts, ugly, duplicate, morbid, mutilated, poorly drawn face, poorly drawn hands, out of frame',
	);
});
