/** What a user may type to name a character's model: a version id, a model page URL, or an AIR. */
export type ModelRef = { readonly kind: 'version'; readonly versionId: number } | { readonly kind: 'model'; readonly modelId: number };

const MAX_ID = 2_147_483_647;

function toId(text: string | null | undefined): number | undefined {
	if (!text || !/^\d{1,10}$/.test(text)) return undefined;
	const id = Number(text);
	return id >= 1 && id <= MAX_ID ? id : undefined;
}

// `urn:air:sdxl:lora:civitai:123456@789012`, optionally with a `.format` suffix.
const AIR = /^urn:air:[a-z0-9_.-]+:[a-z0-9_-]+:civitai:(\d+)(?:@(\d+))?(?:\.[a-z0-9]+)?$/i;

/** Parses a model reference, or returns undefined when the text is none of the accepted forms. */
export function parseModelRef(input: string): ModelRef | undefined {
	const text = input.trim();
	const versionId = toId(text);
	if (versionId !== undefined) return { kind: 'version', versionId };

	const air = AIR.exec(text);
	if (air) {
		const version = toId(air[2]);
		if (version !== undefined) return { kind: 'version', versionId: version };
		const model = toId(air[1]);
		return model === undefined ? undefined : { kind: 'model', modelId: model };
	}

	let url: URL;
	try {
		url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
	} catch {
		return undefined;
	}
	if (!/(^|\.)civitai\.(com|green|red)$/i.test(url.hostname)) return undefined;
	const fromQuery = url.searchParams.get('modelVersionId');
	if (fromQuery !== null) {
		const version = toId(fromQuery);
		return version === undefined ? undefined : { kind: 'version', versionId: version };
	}
	const page = /^\/models\/(\d+)(?:\/|$)/.exec(url.pathname);
	const model = toId(page?.[1]);
	return model === undefined ? undefined : { kind: 'model', modelId: model };
}

export const MODEL_REF_HELP =
	'Give a model-version id (e.g. `789012`), a Civitai model page URL (e.g. `https://civitai.com/models/123456?modelVersionId=789012`), or an AIR (e.g. `urn:air:sdxl:lora:civitai:123456@789012`).';
