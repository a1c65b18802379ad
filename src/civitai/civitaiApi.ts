import { z } from 'zod';
import { requestJson } from '../net/request.ts';

const modelVersionFields = {
	id: z.number().int(),
	name: z.string(),
	baseModel: z.string(),
	trainedWords: z
		.array(z.string())
		.nullish()
		.transform((words) => words ?? []),
	air: z.string().nullish(),
	nsfwLevel: z.number().int().nullish(),
};

const modelVersionSchema = z.object({
	...modelVersionFields,
	modelId: z.number().int(),
	model: z.object({
		name: z.string(),
		type: z.string(),
		nsfw: z.boolean().nullish(),
		poi: z.boolean().nullish(),
	}),
});

const modelSchema = z.object({
	id: z.number().int(),
	name: z.string(),
	type: z.string(),
	nsfw: z.boolean().nullish(),
	poi: z.boolean().nullish(),
	modelVersions: z.array(z.object(modelVersionFields)),
});

export type ModelVersion = z.output<typeof modelVersionSchema>;

const errorCode = (body: unknown) => {
	const parsed = z.object({ error: z.string() }).safeParse(body);
	return parsed.success ? parsed.data.error : undefined;
};

export interface CivitaiApiOptions {
	readonly baseUrl: string;
	readonly timeoutMs?: number;
}

/**
 * Civitai's public REST API: model and model-version records. It needs no token.
 * @see https://developer.civitai.com/docs/api/public-rest
 */
export class CivitaiApi {
	private readonly timeoutMs: number;

	public constructor(private readonly options: CivitaiApiOptions) {
		this.timeoutMs = options.timeoutMs ?? 8_000;
	}

	public async getModelVersion(id: number): Promise<ModelVersion> {
		return requestJson({
			api: 'Civitai',
			url: `${this.options.baseUrl}/api/v1/model-versions/${id}`,
			timeoutMs: this.timeoutMs,
			schema: modelVersionSchema,
			errorCode,
		});
	}

	/** A model's newest version, in the shape of {@link getModelVersion}. */
	public async getLatestModelVersion(modelId: number): Promise<ModelVersion | undefined> {
		const model = await requestJson({
			api: 'Civitai',
			url: `${this.options.baseUrl}/api/v1/models/${modelId}`,
			timeoutMs: this.timeoutMs,
			schema: modelSchema,
			errorCode,
		});
		const newest = model.modelVersions[0];
		if (!newest) return undefined;
		return { ...newest, modelId: model.id, model: { name: model.name, type: model.type, nsfw: model.nsfw, poi: model.poi } };
	}
}
