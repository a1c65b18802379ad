import type { ImageGenInput } from '../../civitai/orchestrator.ts';
import { ENGINE_CHOICES, ENGINE_NAMES } from '../limits.ts';

/**
 * The imageGen engines a project can draw picture characters with: one row per engine, each holding
 * that engine's own limits (references per request, prompt length, size, seed or not, numImages vs
 * quantity) and the one function that builds its step input. Every row is checked against the
 * published `@civitai/client` input types in tests/unit/engines.test.ts (through the fake
 * orchestrator's transcription of them). Sources: /work/shared/reference/reference-images.md §2 and §4;
 * where the docs and Civitai's own site disagree, the smaller limit is used (Civitai's comics caps).
 */
export { ENGINE_CHOICES, ENGINE_NAMES };
export type EngineName = (typeof ENGINE_NAMES)[number];
/** A project's setting: `auto` or an engine. */
export type EngineChoice = (typeof ENGINE_CHOICES)[number];
/** The engine `auto` picks for picture characters (Civitai's comics default). */
export const DEFAULT_PICTURE_ENGINE: EngineName = 'nano-banana-2';
/** How a LoRA panel is drawn (textToImage on its base model's checkpoint); the Drawing.engine value. */
export const CHECKPOINT = 'checkpoint';

export interface EngineRequest {
	readonly prompt: string;
	/** Reference picture URLs, in the order the prompt numbers them (image 1 first). */
	readonly images: readonly string[];
	readonly seed: number;
	readonly takes: number;
}

export interface Engine {
	readonly name: EngineName;
	readonly label: string;
	/** For the README and replies: what it is good at. */
	readonly goodAt: string;
	/** The published price per picture at the size we ask for, for the README (the real figure comes from whatif). */
	readonly buzzPerPicture: string;
	readonly maxImages: number;
	readonly maxPrompt: number;
	readonly maxTakes: number;
	readonly takesField: 'numImages' | 'quantity';
	readonly seed: boolean;
	/** What we ask for: a 3:4 portrait, as a ratio or in pixels. */
	readonly size: { readonly aspectRatio: '3:4' } | { readonly width: number; readonly height: number };
	readonly input: (request: EngineRequest) => ImageGenInput;
}

const takes = (engine: Pick<Engine, 'maxTakes'>, wanted: number) => Math.max(1, Math.min(engine.maxTakes, Math.trunc(wanted)));
const images = (engine: Pick<Engine, 'maxImages'>, list: readonly string[]) => list.slice(0, engine.maxImages);

const nanoBanana2: Engine = {
	name: 'nano-banana-2',
	label: 'Nano Banana 2 (Google)',
	goodAt: 'the default: faces kept well from 1–7 pictures, quick (8–20 s), follows the scene closely',
	buzzPerPicture: '104 at 1K',
	maxImages: 7,
	maxPrompt: 50_000,
	maxTakes: 4,
	takesField: 'numImages',
	// nano-banana-2 types its seed as Int32.
	seed: true,
	size: { aspectRatio: '3:4' },
	input(request) {
		return {
			engine: 'google',
			model: 'nano-banana-2',
			prompt: request.prompt.slice(0, this.maxPrompt),
			images: images(this, request.images),
			aspectRatio: '3:4',
			resolution: '1K',
			numImages: takes(this, request.takes),
			seed: request.seed,
			enableWebSearch: false,
			outputFormat: 'jpeg',
		};
	},
};

const nanoBananaPro: Engine = {
	name: 'nano-banana-pro',
	label: 'Nano Banana Pro (Google)',
	goodAt: 'the most faithful faces and hands, best with several characters; slower and dearer',
	buzzPerPicture: '180 at 1K with pictures',
	maxImages: 7,
	maxPrompt: 50_000,
	maxTakes: 4,
	takesField: 'numImages',
	// No seed in its type or docs: every take is new.
	seed: false,
	size: { aspectRatio: '3:4' },
	input(request) {
		return {
			engine: 'google',
			model: 'nano-banana-pro',
			prompt: request.prompt.slice(0, this.maxPrompt),
			images: images(this, request.images),
			aspectRatio: '3:4',
			resolution: '1K',
			numImages: takes(this, request.takes),
			outputFormat: 'jpeg',
		};
	},
};

const seedream: Engine = {
	name: 'seedream',
	label: 'Seedream 4.5 (ByteDance)',
	goodAt: 'painterly and anime styles, large sharp pictures, flat price',
	buzzPerPicture: '60',
	maxImages: 7,
	maxPrompt: 2_000,
	maxTakes: 4,
	takesField: 'quantity',
	seed: true,
	size: { width: 1536, height: 2048 },
	input(request) {
		return {
			engine: 'seedream',
			version: 'v4.5',
			prompt: request.prompt.slice(0, this.maxPrompt),
			images: images(this, request.images),
			width: 1536,
			height: 2048,
			quantity: takes(this, request.takes),
			guidanceScale: 5,
			seed: request.seed,
			outputFormat: 'jpeg',
		};
	},
};

const flux2: Engine = {
	name: 'flux2',
	label: 'Flux.2 dev (Black Forest Labs)',
	goodAt: 'the cheapest: clean illustration and Western comic styles; looser likeness',
	buzzPerPicture: '~40 at 768×1024',
	maxImages: 7,
	maxPrompt: 1_000,
	maxTakes: 4,
	takesField: 'quantity',
	seed: true,
	// 3:4, multiples of 16, within 512–2048.
	size: { width: 768, height: 1024 },
	input(request) {
		return {
			engine: 'flux2',
			model: 'dev',
			operation: 'editImage',
			prompt: request.prompt.slice(0, this.maxPrompt),
			images: images(this, request.images),
			width: 768,
			height: 1024,
			quantity: takes(this, request.takes),
			seed: request.seed,
			guidanceScale: 3.5,
			numInferenceSteps: 25,
			outputFormat: 'jpeg',
		};
	},
};

const qwen: Engine = {
	name: 'qwen',
	label: 'Qwen Image Edit 2511',
	goodAt: 'keeps clothes and props exactly; at most 3 pictures per panel',
	buzzPerPicture: '~40 at 1 MP',
	// Civitai's comics caps Qwen at 3 (the docs say 10).
	maxImages: 3,
	maxPrompt: 2_000,
	maxTakes: 4,
	takesField: 'quantity',
	// Not in what Civitai's comics sends for Qwen: left out rather than risk a 400.
	seed: false,
	size: { width: 896, height: 1184 },
	input(request) {
		return {
			engine: 'sdcpp',
			ecosystem: 'qwen',
			model: '20b',
			operation: 'editImage',
			version: '2511',
			prompt: request.prompt.slice(0, this.maxPrompt),
			images: images(this, request.images),
			width: 896,
			height: 1184,
			quantity: takes(this, request.takes),
			outputFormat: 'jpeg',
		};
	},
};

export const ENGINES: Readonly<Record<EngineName, Engine>> = {
	'nano-banana-2': nanoBanana2,
	'nano-banana-pro': nanoBananaPro,
	seedream,
	flux2,
	qwen,
};

export function isEngineName(value: unknown): value is EngineName {
	return typeof value === 'string' && (ENGINE_NAMES as readonly string[]).includes(value);
}

export function isEngineChoice(value: unknown): value is EngineChoice {
	return value === 'auto' || isEngineName(value);
}

/** The engine a stored imageGen input was built for, from its fields (Details, older rows). */
export function engineOfInput(input: ImageGenInput): EngineName | undefined {
	if (input.engine === 'google') return input.model === 'nano-banana-pro' ? 'nano-banana-pro' : 'nano-banana-2';
	if (input.engine === 'seedream') return 'seedream';
	if (input.engine === 'flux2') return 'flux2';
	if (input.engine === 'sdcpp') return 'qwen';
	return undefined;
}
