import { expect, test } from 'vitest';
import { parseModelRef } from '../../src/civitai/modelRef.ts';

test.each([
	['789012', { kind: 'version', versionId: 789012 }],
	[' 789012 ', { kind: 'version', versionId: 789012 }],
	['https://civitai.com/models/123456/some-slug?modelVersionId=789012', { kind: 'version', versionId: 789012 }],
	['civitai.com/models/123456?modelVersionId=789012', { kind: 'version', versionId: 789012 }],
	['https://civitai.com/models/123456/some-slug', { kind: 'model', modelId: 123456 }],
	['https://civitai.com/models/123456', { kind: 'model', modelId: 123456 }],
	['urn:air:sdxl:lora:civitai:123456@789012', { kind: 'version', versionId: 789012 }],
	['urn:air:flux1:lora:civitai:123456@789012.safetensors', { kind: 'version', versionId: 789012 }],
	['urn:air:sdxl:lora:civitai:123456', { kind: 'model', modelId: 123456 }],
])('%s is understood', (input, expected) => {
	expect(parseModelRef(input)).toEqual(expected);
});

test.each([
	'',
	'my character',
	'0',
	'-5',
	'12.5',
	'99999999999',
	'https://example.com/models/123456?modelVersionId=789012',
	'https://civitai.com/images/123',
	'https://civitai.com/models/123456?modelVersionId=abc',
	'urn:air:sdxl:lora:huggingface:123@456',
	'javascript:alert(1)',
])('"%s" is refused', (input) => {
	expect(parseModelRef(input)).toBeUndefined();
});
