/**
 * Generation parameters per base-model group: the contract's "Generation defaults" table.
 * A character's LoRA decides the group through its `baseModel` string.
 */
export type BaseModelGroup = 'SD1' | 'SDXL' | 'Pony' | 'Illustrious' | 'NoobAI' | 'Flux1';

export interface GenerationDefaults {
	readonly group: BaseModelGroup;
	/** The AIR ecosystem segment (`urn:air:{ecosystem}:…`). */
	readonly ecosystem: 'sd1' | 'sdxl' | 'flux1';
	readonly checkpoint: string;
	readonly width: number;
	readonly height: number;
	readonly scheduler: string;
	readonly steps: number;
	readonly cfgScale: number;
	readonly clipSkip: number | undefined;
	readonly negativePrompt: string | undefined;
}

export const QUALITY_NEGATIVE_PROMPT =
	'blurry, low quality, deformed, bad anatomy, bad hands, extra fingers, missing fingers, text, watermark, signature, jpeg artifacts, ugly, duplicate, morbid, mutilated, poorly drawn face, poorly drawn hands, out of frame';

const sdxlFamily = {
	ecosystem: 'sdxl',
	width: 832,
	height: 1216,
	scheduler: 'euler',
	steps: 25,
	cfgScale: 7,
	clipSkip: 2,
	negativePrompt: QUALITY_NEGATIVE_PROMPT,
} as const;

export const GENERATION_DEFAULTS = {
	SD1: {
		group: 'SD1',
		ecosystem: 'sd1',
		checkpoint: 'urn:air:sd1:checkpoint:civitai:4384@128713',
		width: 512,
		height: 768,
		scheduler: 'euler',
		steps: 25,
		cfgScale: 7,
		clipSkip: undefined,
		negativePrompt: QUALITY_NEGATIVE_PROMPT,
	},
	SDXL: { group: 'SDXL', checkpoint: 'urn:air:sdxl:checkpoint:civitai:101055@128078', ...sdxlFamily },
	Pony: { group: 'Pony', checkpoint: 'urn:air:sdxl:checkpoint:civitai:257749@290640', ...sdxlFamily },
	Illustrious: { group: 'Illustrious', checkpoint: 'urn:air:sdxl:checkpoint:civitai:795765@889818', ...sdxlFamily },
	NoobAI: { group: 'NoobAI', checkpoint: 'urn:air:sdxl:checkpoint:civitai:833294@1190596', ...sdxlFamily },
	// "undefined" is the orchestrator's own scheduler value for Flux, not a missing value.
	Flux1: {
		group: 'Flux1',
		ecosystem: 'flux1',
		checkpoint: 'urn:air:flux1:checkpoint:civitai:618692@691639',
		width: 832,
		height: 1216,
		scheduler: 'undefined',
		steps: 28,
		cfgScale: 3.5,
		clipSkip: undefined,
		negativePrompt: undefined,
	},
} as const satisfies Record<BaseModelGroup, GenerationDefaults>;

const exactGroups: Readonly<Record<string, BaseModelGroup>> = {
	'sd 1.4': 'SD1',
	'sd 1.5': 'SD1',
	'sd 1.5 lcm': 'SD1',
	'sd 1.5 hyper': 'SD1',
	pony: 'Pony',
	illustrious: 'Illustrious',
	noobai: 'NoobAI',
	'flux.1 d': 'Flux1',
	'flux.1 s': 'Flux1',
};

/**
 * The group of a Civitai `baseModel` string, or undefined when the bot has no checkpoint for it.
 * "SDXL 1.0", "SDXL Lightning", "SDXL Hyper", "SDXL Turbo"… are all SDXL; "SDXL Distilled" too.
 */
export function baseModelGroup(baseModel: string): BaseModelGroup | undefined {
	const key = baseModel.trim().toLowerCase();
	const exact = exactGroups[key];
	if (exact) return exact;
	if (/^sdxl\b/.test(key)) return 'SDXL';
	return undefined;
}

export const SUPPORTED_BASE_MODELS = 'SD 1.4/1.5, SDXL, Pony, Illustrious, NoobAI, Flux.1 D/S';
