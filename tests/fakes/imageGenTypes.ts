// The `imageGen` step inputs the fake orchestrator accepts, transcribed from the published
// `@civitai/client` 0.2.0-beta.86 types (`dist/generated/types.gen.d.ts`) and the engine recipes, as
// summarized in /work/shared/reference/reference-images.md §2. Strict: a field the type does not have
// is refused with a 400, as the real service does for flux2 (and, to be safe, for every engine).
// Written independently of src/comic/engines/ so that a test of the engine table against it can fail.
import { z } from 'zod';

const INT32_MAX = 2_147_483_647;
const outputFormat = z.enum(['jpeg', 'png', 'webP']).optional();
const imageMetadata = z.string().optional();
const images = (max: number) => z.array(z.string().min(1)).max(max);
const seed = z.number().int().min(0).max(INT32_MAX).optional();
const googleRatios = z.enum(['21:9', '16:9', '3:2', '4:3', '5:4', '1:1', '4:5', '3:4', '2:3', '9:16']);

const nanoBanana2 = z.strictObject({
	engine: z.literal('google'),
	model: z.literal('nano-banana-2'),
	prompt: z.string().min(1).max(50_000),
	images: images(10).optional(),
	aspectRatio: googleRatios.optional(),
	resolution: z.enum(['1K', '2K', '4K']).optional(),
	numImages: z.number().int().min(1).max(4).optional(),
	seed,
	enableWebSearch: z.boolean().optional(),
	enableGoogleSearch: z.boolean().optional(),
	outputFormat,
	imageMetadata,
});

// No seed in its type or docs.
const nanoBananaPro = z.strictObject({
	engine: z.literal('google'),
	model: z.literal('nano-banana-pro'),
	prompt: z.string().min(1).max(50_000),
	images: images(10).optional(),
	aspectRatio: googleRatios.optional(),
	resolution: z.enum(['1K', '2K', '4K']).optional(),
	numImages: z.number().int().min(1).max(4).optional(),
	outputFormat,
	imageMetadata,
});

const seedream = z.strictObject({
	engine: z.literal('seedream'),
	version: z.enum(['v3', 'v4', 'v4.5', 'v5.0-lite', 'v5.0-pro']).optional(),
	prompt: z.string().min(1),
	images: images(10).optional(),
	width: z.number().int().min(256).max(4096).optional(),
	height: z.number().int().min(256).max(4096).optional(),
	quantity: z.number().int().min(1).max(12).optional(),
	guidanceScale: z.number().min(1).max(10).optional(),
	seed,
	enableSafetyChecker: z.boolean().optional(),
	outputFormat,
	imageMetadata,
});

const flux2 = z.strictObject({
	engine: z.literal('flux2'),
	model: z.enum(['dev', 'flex', 'pro', 'max', 'klein']),
	operation: z.enum(['createImage', 'editImage']),
	prompt: z.string().min(1).max(1000),
	images: images(10).optional(),
	width: z.number().int().min(512).max(2048).optional(),
	height: z.number().int().min(512).max(2048).optional(),
	quantity: z.number().int().min(1).max(4).optional(),
	seed,
	enablePromptExpansion: z.boolean().optional(),
	guidanceScale: z.number().optional(),
	numInferenceSteps: z.number().int().optional(),
	loras: z.array(z.object({ air: z.string(), strength: z.number() })).optional(),
	outputFormat,
	imageMetadata,
});

// sdcpp with the qwen ecosystem: `quantity` is inferred from the price formula's n (reference §2).
const qwenEdit = z.strictObject({
	engine: z.literal('sdcpp'),
	ecosystem: z.literal('qwen'),
	model: z.literal('20b'),
	operation: z.enum(['createImage', 'editImage']),
	version: z.enum(['2509', '2511']).optional(),
	prompt: z.string().min(1).max(10_000),
	images: images(10).optional(),
	width: z.number().int().min(256).max(2048).optional(),
	height: z.number().int().min(256).max(2048).optional(),
	cfgScale: z.number().optional(),
	steps: z.number().int().optional(),
	quantity: z.number().int().min(1).max(4).optional(),
	loras: z.record(z.string(), z.number()).optional(),
	outputFormat,
	imageMetadata,
});

/** The schema for an input by its engine (and model), or undefined for an engine this fake does not know. */
export function imageGenSchemaFor(input: Record<string, unknown>): z.ZodType | undefined {
	if (input.engine === 'google') return input.model === 'nano-banana-pro' ? nanoBananaPro : nanoBanana2;
	if (input.engine === 'seedream') return seedream;
	if (input.engine === 'flux2') return flux2;
	if (input.engine === 'sdcpp') return qwenEdit;
	return undefined;
}

/** Buzz per picture, as the engine recipes price them (whatif and cost.total). */
export function imageGenPrice(input: Record<string, unknown>): number {
	const withImages = Array.isArray(input.images) && input.images.length > 0;
	if (input.engine === 'google') return input.model === 'nano-banana-pro' ? (withImages ? 180 : 160) : 104;
	if (input.engine === 'seedream') return 60;
	return 40;
}

/** How many pictures an input asks for: Google counts `numImages`, the others `quantity`. */
export function imageGenTakes(input: Record<string, unknown>): number {
	const value = input.engine === 'google' ? input.numImages : input.quantity;
	return typeof value === 'number' ? Math.max(1, Math.min(4, value)) : 1;
}
