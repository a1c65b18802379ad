/**
 * Every image family the bot draws LoRAs with: ONE table, each row what Civitai's own generator uses for
 * that family (docs/decisions/020-model-families.md says where each value comes from). A character's
 * LoRA decides the family through its `baseModel` string; a panel is drawn with its family's row.
 */
export type BaseModelGroup =
	| 'SD1'
	| 'SDXL'
	| 'Pony'
	| 'Illustrious'
	| 'NoobAI'
	| 'Flux1'
	| 'FluxKrea'
	| 'Chroma'
	| 'HiDream'
	| 'PonyV7'
	| 'ZImageTurbo'
	| 'ZImageBase'
	| 'Qwen'
	| 'Flux2'
	| 'Flux2Klein9B'
	| 'Flux2Klein9BBase'
	| 'Flux2Klein4B'
	| 'Flux2Klein4BBase'
	| 'Anima'
	| 'Ernie'
	| 'Lens'
	| 'Krea2'
	| 'Boogu';

/** How an `imageGen` family's input is spelled: the engine's own names for the shared settings. */
export interface ImageGenSpec {
	/** The fields that pick the engine and model, sent as they are (engine, ecosystem, model, version, operation…). */
	readonly fields: { readonly engine: string; readonly operation: string } & Readonly<Record<string, string>>;
	readonly stepsKey: 'steps' | 'numInferenceSteps';
	readonly cfgKey: 'cfgScale' | 'guidanceScale';
	/** The sampler and schedule fields, when the generator sends them. */
	readonly sampler?: { readonly key: 'sampleMethod' | 'sampler'; readonly value: string };
	readonly schedule?: { readonly key: 'schedule' | 'scheduler'; readonly value: string };
	/** `record`: `{ [air]: strength }`; `list`: `[{ air, strength }]` (Flux.2 Dev). */
	readonly loras: 'record' | 'list';
	/** Where the checkpoint's AIR goes, for engines that take one. */
	readonly checkpointKey?: 'diffuserModel';
}

export interface GenerationDefaults {
	readonly group: BaseModelGroup;
	/** What users read: the family's name in replies and the README. */
	readonly label: string;
	/** The AIR ecosystem segment of the family's LoRAs (`urn:air:{ecosystem}:lora:…`), when Civitai returns no AIR. */
	readonly ecosystem: string;
	/** The default checkpoint of Civitai's generator for the family: its AIR (what Details names). */
	readonly checkpoint: string;
	/** The `@civitai/client` type the step input is checked against (tests/unit/families.test.ts). */
	readonly publishedType: string;
	/** `textToImage`, or the `imageGen` engine and its field names. */
	readonly step: 'textToImage' | ImageGenSpec;
	readonly width: number;
	readonly height: number;
	/** textToImage: the orchestrator's scheduler value; imageGen: the sampler and schedule sent, for Details. */
	readonly scheduler: string;
	readonly steps: number;
	readonly cfgScale: number;
	readonly clipSkip: number | undefined;
	readonly negativePrompt: string | undefined;
	/** textToImage only: the `type` each LoRA carries in `additionalNetworks` (HiDream's generator sends `LORA`). */
	readonly loraType?: string;
}

export const QUALITY_NEGATIVE_PROMPT =
	'blurry, low quality, deformed, bad anatomy, bad hands, extra fingers, missing fingers, text, watermark, signature, jpeg artifacts, ugly, duplicate, morbid, mutilated, poorly drawn face, poorly drawn hands, out of frame';

const sdxlFamily = {
	ecosystem: 'sdxl',
	publishedType: 'TextToImageInput',
	step: 'textToImage',
	width: 832,
	height: 1216,
	scheduler: 'euler',
	steps: 25,
	cfgScale: 7,
	clipSkip: 2,
	negativePrompt: QUALITY_NEGATIVE_PROMPT,
} as const;

/** Civitai's generator draws these 2:3 (its `sdxlAspectRatioBuckets` portrait), as the SDXL families. */
const portrait = { width: 832, height: 1216 } as const;
const noClipSkip = { clipSkip: undefined } as const;
const sdcppEulerSimple = { sampler: { key: 'sampleMethod', value: 'euler' }, schedule: { key: 'schedule', value: 'simple' } } as const;
const comfyEulerSimple = { sampler: { key: 'sampler', value: 'euler' }, schedule: { key: 'scheduler', value: 'simple' } } as const;
const plainSettings = { stepsKey: 'steps', cfgKey: 'cfgScale', loras: 'record' } as const;

const klein = (modelVersion: '9b' | '9b-base' | '4b' | '4b-base') =>
	({
		ecosystem: 'flux2klein',
		publishedType: 'Flux2KleinCreateImageInput',
		step: { fields: { engine: 'flux2', model: 'klein', modelVersion, operation: 'createImage' }, ...plainSettings, ...sdcppEulerSimple },
		...portrait,
		scheduler: 'euler, simple',
		...noClipSkip,
	}) as const;

export const GENERATION_DEFAULTS = {
	SD1: {
		group: 'SD1',
		label: 'SD 1.x',
		ecosystem: 'sd1',
		checkpoint: 'urn:air:sd1:checkpoint:civitai:4384@128713',
		publishedType: 'TextToImageInput',
		step: 'textToImage',
		width: 512,
		height: 768,
		scheduler: 'euler',
		steps: 25,
		cfgScale: 7,
		clipSkip: undefined,
		negativePrompt: QUALITY_NEGATIVE_PROMPT,
	},
	SDXL: { group: 'SDXL', label: 'SDXL', checkpoint: 'urn:air:sdxl:checkpoint:civitai:101055@128078', ...sdxlFamily },
	Pony: { group: 'Pony', label: 'Pony', checkpoint: 'urn:air:sdxl:checkpoint:civitai:257749@290640', ...sdxlFamily },
	Illustrious: { group: 'Illustrious', label: 'Illustrious', checkpoint: 'urn:air:sdxl:checkpoint:civitai:795765@889818', ...sdxlFamily },
	NoobAI: { group: 'NoobAI', label: 'NoobAI', checkpoint: 'urn:air:sdxl:checkpoint:civitai:833294@1190596', ...sdxlFamily },
	// "undefined" is the orchestrator's own scheduler value for Flux, not a missing value.
	Flux1: {
		group: 'Flux1',
		label: 'Flux.1 D/S',
		ecosystem: 'flux1',
		checkpoint: 'urn:air:flux1:checkpoint:civitai:618692@691639',
		publishedType: 'TextToImageInput',
		step: 'textToImage',
		...portrait,
		scheduler: 'undefined',
		steps: 28,
		cfgScale: 3.5,
		...noClipSkip,
		negativePrompt: undefined,
	},
	FluxKrea: {
		group: 'FluxKrea',
		label: 'Flux.1 Krea',
		ecosystem: 'flux1',
		checkpoint: 'urn:air:flux1:checkpoint:civitai:618692@2068000',
		publishedType: 'TextToImageInput',
		step: 'textToImage',
		...portrait,
		scheduler: 'undefined',
		steps: 25,
		cfgScale: 3.5,
		...noClipSkip,
		negativePrompt: undefined,
	},
	Chroma: {
		group: 'Chroma',
		label: 'Chroma',
		ecosystem: 'chroma',
		checkpoint: 'urn:air:chroma:checkpoint:civitai:1330309@2164239',
		publishedType: 'TextToImageInput',
		step: 'textToImage',
		...portrait,
		scheduler: 'euler',
		steps: 25,
		cfgScale: 3.5,
		...noClipSkip,
		negativePrompt: undefined,
	},
	// The generator's default is HiDream Dev (fp8), which it draws with LCM, 28 steps, CFG 1 and no negative prompt.
	HiDream: {
		group: 'HiDream',
		label: 'HiDream',
		ecosystem: 'hidream',
		checkpoint: 'urn:air:hidream:checkpoint:civitai:1562709@1771369',
		publishedType: 'TextToImageInput',
		step: 'textToImage',
		...portrait,
		scheduler: 'lcm',
		steps: 28,
		cfgScale: 1,
		...noClipSkip,
		negativePrompt: undefined,
		loraType: 'LORA',
	},
	PonyV7: {
		group: 'PonyV7',
		label: 'Pony V7',
		ecosystem: 'auraflow',
		checkpoint: 'urn:air:auraflow:checkpoint:civitai:1901521@2152373',
		publishedType: 'TextToImageInput',
		step: 'textToImage',
		...portrait,
		scheduler: 'euler',
		steps: 40,
		cfgScale: 3.5,
		...noClipSkip,
		negativePrompt: undefined,
	},
	ZImageTurbo: {
		group: 'ZImageTurbo',
		label: 'Z-Image Turbo',
		ecosystem: 'zimageturbo',
		checkpoint: 'urn:air:zimageturbo:checkpoint:civitai:2168935@2442439',
		publishedType: 'ZImageTurboCreateImageGenInput',
		step: {
			fields: { engine: 'sdcpp', ecosystem: 'zImage', model: 'turbo', operation: 'createImage' },
			...plainSettings,
			...sdcppEulerSimple,
			checkpointKey: 'diffuserModel',
		},
		...portrait,
		scheduler: 'euler, simple',
		steps: 9,
		cfgScale: 1,
		...noClipSkip,
		negativePrompt: undefined,
	},
	ZImageBase: {
		group: 'ZImageBase',
		label: 'Z-Image Base',
		ecosystem: 'zimagebase',
		checkpoint: 'urn:air:zimagebase:checkpoint:civitai:2342797@2635223',
		publishedType: 'ZImageBaseCreateImageGenInput',
		step: {
			fields: { engine: 'sdcpp', ecosystem: 'zImage', model: 'base', operation: 'createImage' },
			...plainSettings,
			...sdcppEulerSimple,
			checkpointKey: 'diffuserModel',
		},
		...portrait,
		scheduler: 'euler, simple',
		steps: 20,
		cfgScale: 4,
		...noClipSkip,
		negativePrompt: QUALITY_NEGATIVE_PROMPT,
	},
	// Qwen-Image 2512 on sdcpp: the generator sends neither sampler nor schedule, nor a negative prompt.
	Qwen: {
		group: 'Qwen',
		label: 'Qwen',
		ecosystem: 'qwen',
		checkpoint: 'urn:air:qwen:checkpoint:civitai:2268063@2552908',
		publishedType: 'Qwen20bCreateImageGenInput',
		step: { fields: { engine: 'sdcpp', ecosystem: 'qwen', model: '20b', version: '2512', operation: 'createImage' }, ...plainSettings },
		...portrait,
		scheduler: 'the engine default',
		steps: 25,
		cfgScale: 3.5,
		...noClipSkip,
		negativePrompt: undefined,
	},
	// Flux.2 Dev (the only Flux.2 tier that takes LoRAs): guidance and steps under the engine's own names.
	Flux2: {
		group: 'Flux2',
		label: 'Flux.2 Dev',
		ecosystem: 'flux2',
		checkpoint: 'urn:air:flux2:checkpoint:civitai:2165902@2439067',
		publishedType: 'Flux2DevImageGenInput',
		step: {
			fields: { engine: 'flux2', model: 'dev', operation: 'createImage' },
			stepsKey: 'numInferenceSteps',
			cfgKey: 'guidanceScale',
			loras: 'list',
		},
		...portrait,
		scheduler: 'the engine default',
		steps: 25,
		cfgScale: 3.5,
		...noClipSkip,
		negativePrompt: undefined,
	},
	// The distilled Klein variants run at the generator's fixed 12 steps and CFG 1, where a negative prompt does nothing.
	Flux2Klein9B: {
		group: 'Flux2Klein9B',
		label: 'Flux.2 Klein 9B',
		checkpoint: 'urn:air:flux2klein:checkpoint:civitai:2322332@2612554',
		...klein('9b'),
		steps: 12,
		cfgScale: 1,
		negativePrompt: undefined,
	},
	Flux2Klein9BBase: {
		group: 'Flux2Klein9BBase',
		label: 'Flux.2 Klein 9B Base',
		checkpoint: 'urn:air:flux2klein:checkpoint:civitai:2322332@2612548',
		...klein('9b-base'),
		steps: 30,
		cfgScale: 7,
		negativePrompt: QUALITY_NEGATIVE_PROMPT,
	},
	Flux2Klein4B: {
		group: 'Flux2Klein4B',
		label: 'Flux.2 Klein 4B',
		checkpoint: 'urn:air:flux2klein:checkpoint:civitai:2322332@2612557',
		...klein('4b'),
		steps: 12,
		cfgScale: 1,
		negativePrompt: undefined,
	},
	Flux2Klein4BBase: {
		group: 'Flux2Klein4BBase',
		label: 'Flux.2 Klein 4B Base',
		checkpoint: 'urn:air:flux2klein:checkpoint:civitai:2322332@2612552',
		...klein('4b-base'),
		steps: 30,
		cfgScale: 7,
		negativePrompt: QUALITY_NEGATIVE_PROMPT,
	},
	Anima: {
		group: 'Anima',
		label: 'Anima',
		ecosystem: 'anima',
		checkpoint: 'urn:air:anima:checkpoint:civitai:2458426@2945208',
		publishedType: 'ComfyAnimaCreateImageGenInput',
		step: {
			fields: { engine: 'comfy', ecosystem: 'anima', operation: 'createImage' },
			...plainSettings,
			sampler: { key: 'sampler', value: 'euler_ancestral' },
			schedule: { key: 'scheduler', value: 'simple' },
			checkpointKey: 'diffuserModel',
		},
		...portrait,
		scheduler: 'euler_ancestral, simple',
		steps: 25,
		cfgScale: 7,
		...noClipSkip,
		negativePrompt: QUALITY_NEGATIVE_PROMPT,
	},
	Ernie: {
		group: 'Ernie',
		label: 'Ernie',
		ecosystem: 'ernie',
		checkpoint: 'urn:air:ernie:checkpoint:civitai:2548387@2863858',
		publishedType: 'ComfyErnieStandardCreateImageGenInput',
		step: { fields: { engine: 'comfy', ecosystem: 'ernie', model: 'ernie', operation: 'createImage' }, ...plainSettings, ...comfyEulerSimple },
		width: 848,
		height: 1264,
		scheduler: 'euler, simple',
		steps: 20,
		cfgScale: 4,
		...noClipSkip,
		negativePrompt: QUALITY_NEGATIVE_PROMPT,
	},
	// Civitai's source names Lens's default version (2982236) but not its model: Details names the version.
	Lens: {
		group: 'Lens',
		label: 'Lens',
		ecosystem: 'lens',
		checkpoint: 'Lens (Civitai model version 2982236)',
		publishedType: 'ComfyLensNormalCreateImageGenInput',
		step: { fields: { engine: 'comfy', ecosystem: 'lens', model: 'normal', operation: 'createImage' }, ...plainSettings, ...comfyEulerSimple },
		width: 832,
		height: 1248,
		scheduler: 'euler, simple',
		steps: 20,
		cfgScale: 5,
		...noClipSkip,
		negativePrompt: QUALITY_NEGATIVE_PROMPT,
	},
	// Krea 2 Raw, the generator's default version and the comfy build that takes LoRAs (the hosted tiers do not).
	Krea2: {
		group: 'Krea2',
		label: 'Krea 2',
		ecosystem: 'krea2',
		checkpoint: 'urn:air:krea2:checkpoint:civitai:2732654@3072329',
		publishedType: 'ComfyKrea2RawCreateImageGenInput',
		step: { fields: { engine: 'comfy', ecosystem: 'krea2', model: 'raw', operation: 'createImage' }, ...plainSettings, ...comfyEulerSimple },
		width: 832,
		height: 1248,
		scheduler: 'euler, simple',
		steps: 30,
		cfgScale: 3.5,
		...noClipSkip,
		negativePrompt: QUALITY_NEGATIVE_PROMPT,
	},
	Boogu: {
		group: 'Boogu',
		label: 'Boogu',
		ecosystem: 'boogu',
		checkpoint: 'urn:air:boogu:checkpoint:civitai:2714299@3049541',
		publishedType: 'ComfyBooguBaseCreateImageGenInput',
		step: { fields: { engine: 'comfy', ecosystem: 'boogu', model: 'base', operation: 'createImage' }, ...plainSettings },
		...portrait,
		scheduler: 'the engine default',
		steps: 35,
		cfgScale: 4,
		...noClipSkip,
		negativePrompt: QUALITY_NEGATIVE_PROMPT,
	},
} as const satisfies Record<BaseModelGroup, GenerationDefaults>;

export const FAMILIES: readonly GenerationDefaults[] = Object.values(GENERATION_DEFAULTS);

/**
 * Civitai's base-model strings (its `baseModelRecords`) for each family, exactly. A LoRA of a sibling
 * Civitai's generator draws on a family's checkpoint is listed there too: AuraFlow LoRAs on Pony V7.
 */
const FAMILY_BASE_MODELS: Readonly<Record<BaseModelGroup, readonly string[]>> = {
	SD1: ['SD 1.4', 'SD 1.5', 'SD 1.5 LCM', 'SD 1.5 Hyper'],
	SDXL: ['SDXL 0.9', 'SDXL 1.0', 'SDXL 1.0 LCM', 'SDXL Lightning', 'SDXL Hyper', 'SDXL Turbo', 'SDXL Distilled'],
	Pony: ['Pony'],
	Illustrious: ['Illustrious'],
	NoobAI: ['NoobAI'],
	Flux1: ['Flux.1 D', 'Flux.1 S'],
	FluxKrea: ['Flux.1 Krea'],
	Chroma: ['Chroma'],
	HiDream: ['HiDream'],
	// "PonyV7" is how Civitai's older generation config spells it.
	PonyV7: ['Pony V7', 'PonyV7', 'AuraFlow'],
	ZImageTurbo: ['ZImageTurbo'],
	ZImageBase: ['ZImageBase'],
	Qwen: ['Qwen'],
	Flux2: ['Flux.2 D'],
	Flux2Klein9B: ['Flux.2 Klein 9B'],
	Flux2Klein9BBase: ['Flux.2 Klein 9B-base'],
	Flux2Klein4B: ['Flux.2 Klein 4B'],
	Flux2Klein4BBase: ['Flux.2 Klein 4B-base'],
	Anima: ['Anima'],
	Ernie: ['Ernie'],
	Lens: ['Lens'],
	Krea2: ['Krea 2'],
	Boogu: ['Boogu'],
};

/** Civitai base models that make video, sound or 3D: never a comic panel. */
const NOT_PICTURES: readonly string[] = [
	'CogVideoX',
	'Flux 3 Video',
	'HappyHorse',
	'Hunyuan Video',
	'Kling',
	'LTXV',
	'LTXV2',
	'LTXV 2.3',
	'MiniMax H3',
	'Mochi',
	'Seedance',
	'Sora 2',
	'SVD',
	'SVD XT',
	'Veo 3',
	'Vidu Q1',
	'Wan Video',
	'Wan Video 1.3B t2v',
	'Wan Video 14B t2v',
	'Wan Video 14B i2v 480p',
	'Wan Video 14B i2v 720p',
	'Wan Video 2.2 TI2V-5B',
	'Wan Video 2.2 I2V-A14B',
	'Wan Video 2.2 T2V-A14B',
	'Wan Video 2.5 T2V',
	'Wan Video 2.5 I2V',
	'Wan Video 2.7',
	'ACE Audio',
	'PolyGen',
	'Tripo',
	'Hunyuan3D',
];

const groupByKey = new Map<string, BaseModelGroup>(
	Object.entries(FAMILY_BASE_MODELS).flatMap(([group, names]) => names.map((name) => [name.toLowerCase(), group as BaseModelGroup] as const)),
);
const notPictures = new Set(NOT_PICTURES.map((name) => name.toLowerCase()));

/** The family of a Civitai `baseModel` string, matched exactly (case and outer spaces aside), or undefined. */
export function baseModelGroup(baseModel: string): BaseModelGroup | undefined {
	return groupByKey.get(baseModel.trim().toLowerCase());
}

/** The families in the words of a refusal. */
export const SUPPORTED_BASE_MODELS = FAMILIES.map((family) => family.label).join(', ');

/** Why a LoRA of this base model cannot be a character, in plain words that name it; undefined when it can. */
export function baseModelRefusal(modelName: string, baseModel: string): string | undefined {
	if (baseModelGroup(baseModel)) return undefined;
	if (notPictures.has(baseModel.trim().toLowerCase()))
		return `**${modelName}** is made for **${baseModel}**, which makes video, sound or 3D models, not pictures: a comic panel cannot be drawn with it. Choose a LoRA for one of: ${SUPPORTED_BASE_MODELS}.`;
	return `**${modelName}** is made for the base model **${baseModel}**, which this bot cannot draw with: Civitai's generator does not draw its LoRAs. Supported base models: ${SUPPORTED_BASE_MODELS}.`;
}
