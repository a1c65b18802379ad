// A fake of Civitai's public REST API (model versions and models), shaped after
// /work/shared/reference/civitai.md. It needs no token; requests are recorded so tests can assert
// that the bot never sends its Civitai key to this public, edge-cached API.
import { baseFake, startHttpFake } from './http.ts';
import type { BaseFake, FakeRequest, FakeResponse } from './http.ts';

export interface ModelFile {
	id: number;
	name: string;
	primary?: boolean;
	sizeKB: number;
	type?: string;
}

export interface ModelImage {
	url: string;
	nsfwLevel: number;
	width: number;
	height: number;
}

export interface ModelInfo {
	name: string;
	type: string;
	nsfw: boolean;
	poi: boolean;
}

export interface ModelVersionFixture {
	id: number;
	modelId: number;
	name: string;
	baseModel: string;
	status: string;
	nsfwLevel: number;
	trainedWords: string[];
	air?: string;
	model: ModelInfo;
	files: ModelFile[];
	images: ModelImage[];
}

/** A version as listed inside a model: the same object without the nested `model`. */
export type ModelVersionInModel = Omit<ModelVersionFixture, 'model'>;

export interface ModelFixture extends ModelInfo {
	id: number;
	modelVersions: ModelVersionInModel[];
}

export type ModelVersionOverrides = Partial<Omit<ModelVersionFixture, 'model'>> & { model?: Partial<ModelInfo> };

// Counters keep default ids unique, so two default fixtures never collide as the same version.
let nextVersionId = 789012;
let nextModelId = 123456;

// AIR ecosystem and type segments (inferred from the AIRs Civitai shows; tests needing an exact AIR
// pass `air` explicitly).
function airEcosystem(baseModel: string): string {
	if (baseModel.startsWith('SD 1')) return 'sd1';
	if (baseModel.startsWith('Flux.2 Klein')) return 'flux2klein';
	if (baseModel.startsWith('Flux.2')) return 'flux2';
	if (baseModel.startsWith('Flux')) return 'flux1';
	if (baseModel === 'Pony V7') return 'auraflow';
	if (/^(SDXL|Pony|Illustrious|NoobAI)/.test(baseModel)) return 'sdxl';
	// Newer families: Civitai writes the base model in lower case without spaces (zimageturbo, chroma, qwen…).
	return baseModel.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function airType(type: string): string {
	if (type === 'TextualInversion') return 'embedding';
	return type.toLowerCase();
}

/** A complete, realistic model version; `air: undefined` in overrides omits the AIR. */
export function modelVersion(overrides: ModelVersionOverrides = {}): ModelVersionFixture {
	const id = overrides.id ?? nextVersionId++;
	const modelId = overrides.modelId ?? nextModelId++;
	const model: ModelInfo = { name: 'My Character', type: 'LORA', nsfw: false, poi: false, ...overrides.model };
	const baseModel = overrides.baseModel ?? 'SDXL 1.0';
	const version: ModelVersionFixture = {
		id,
		modelId,
		name: 'v1.0',
		baseModel,
		status: 'Published',
		nsfwLevel: 1,
		trainedWords: ['mychar', 'red scarf'],
		air: `urn:air:${airEcosystem(baseModel)}:${airType(model.type)}:civitai:${modelId}@${id}`,
		files: [{ id: id + 1000, name: 'mychar_v1.safetensors', primary: true, sizeKB: 223105.4, type: 'Model' }],
		images: [{ url: `https://image.civitai.com/fake/${id}/preview.jpeg`, nsfwLevel: 1, width: 832, height: 1216 }],
		...overrides,
		model,
	};
	if ('air' in overrides && overrides.air === undefined) delete version.air;
	return version;
}

export interface FakeCivitai extends BaseFake {
	addModelVersion(v: ModelVersionFixture): void;
	addModel(m: ModelFixture): void;
	/** The mini endpoint answers canGenerate: true unless set otherwise here. */
	setCanGenerate(versionId: number, canGenerate: boolean): void;
	readonly versions: Map<number, ModelVersionFixture>;
}

interface StoredModel extends ModelInfo {
	id: number;
	/** Newest first. */
	versionIds: number[];
}

const json = (status: number, body: unknown): FakeResponse => ({ status, body });

export async function startFakeCivitai(): Promise<FakeCivitai> {
	const versions = new Map<number, ModelVersionFixture>();
	const models = new Map<number, StoredModel>();
	const canGenerate = new Map<number, boolean>();

	const addModelVersion = (v: ModelVersionFixture): void => {
		versions.set(v.id, v);
		const model = models.get(v.modelId) ?? { id: v.modelId, ...v.model, versionIds: [] };
		// A version added later is the newer one, as on Civitai where new versions go on top.
		model.versionIds = [v.id, ...model.versionIds.filter((id) => id !== v.id)];
		models.set(v.modelId, model);
	};

	const addModel = (m: ModelFixture): void => {
		const { modelVersions, ...info } = m;
		models.set(m.id, { ...info, versionIds: modelVersions.map((v) => v.id) });
		const modelInfo: ModelInfo = { name: m.name, type: m.type, nsfw: m.nsfw, poi: m.poi };
		for (const v of modelVersions) versions.set(v.id, { ...v, modelId: m.id, model: modelInfo });
	};

	const parseId = (raw: string): number | undefined => (/^\d+$/.test(raw) ? Number(raw) : undefined);

	const handler = (req: FakeRequest): FakeResponse => {
		if (req.method !== 'GET') return json(404, { error: 'Not found' });
		let m = /^\/api\/v1\/model-versions\/mini\/([^/]+)$/.exec(req.path);
		if (m?.[1] !== undefined) {
			const id = parseId(m[1]);
			if (id === undefined) return json(400, { error: 'Invalid id' });
			const v = versions.get(id);
			if (v === undefined) return json(404, { error: 'Model not found' });
			// The light record's exact field list is not published; these are the ones the bot may read.
			return json(200, {
				id: v.id,
				name: v.name,
				air: v.air,
				baseModel: v.baseModel,
				modelId: v.modelId,
				modelName: v.model.name,
				modelType: v.model.type,
				nsfwLevel: v.nsfwLevel,
				canGenerate: canGenerate.get(v.id) ?? true,
			});
		}
		m = /^\/api\/v1\/model-versions\/([^/]+)$/.exec(req.path);
		if (m?.[1] !== undefined) {
			const id = parseId(m[1]);
			if (id === undefined) return json(400, { error: 'Invalid id' });
			const v = versions.get(id);
			// Unpublished versions are 404 like missing ones, per the reference.
			if (v === undefined || v.status !== 'Published') return json(404, { error: 'Model not found' });
			if (!v.files.some((f) => f.primary === true)) return json(404, { error: 'Missing model file' });
			return json(200, v);
		}
		m = /^\/api\/v1\/models\/([^/]+)$/.exec(req.path);
		if (m?.[1] !== undefined) {
			const id = parseId(m[1]);
			if (id === undefined) return json(400, { error: 'Invalid id' });
			const model = models.get(id);
			if (model === undefined) return json(404, { error: `No model with id ${id}` });
			const modelVersions = model.versionIds.flatMap((vid) => {
				const v = versions.get(vid);
				if (v === undefined) return [];
				const { model: _nested, ...rest } = v;
				return [rest];
			});
			return json(200, { id: model.id, name: model.name, type: model.type, nsfw: model.nsfw, poi: model.poi, modelVersions });
		}
		return json(404, { error: 'Not found' });
	};

	const server = await startHttpFake(handler, {
		faultResponse: (status) => ({ status, body: { error: status >= 500 ? 'Internal server error' : 'Injected fault' } }),
	});
	return {
		...baseFake(server),
		versions,
		addModelVersion,
		addModel,
		setCanGenerate: (versionId, value) => {
			canGenerate.set(versionId, value);
		},
	};
}
