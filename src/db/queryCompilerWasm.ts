import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Prisma's query compiler (WebAssembly, 4.4 MB as base64) as the generated client loads it, but read from
 * its file instead of imported: an imported module is never unloaded, so `import()` of Prisma's
 * `…wasm-base64.mjs` keeps its source and its string, about 8.4 MB of the JavaScript heap, for the life
 * of the process, long after the module is compiled. `npm run build` points the generated client here
 * (scripts/build.mjs); the text read is garbage once the module is compiled (docs/decisions/031-memory.md).
 */
export async function queryCompilerBase64(provider: 'sqlite' | 'postgresql'): Promise<string> {
	const file = require.resolve(`@prisma/client/runtime/query_compiler_fast_bg.${provider}.wasm-base64.mjs`);
	const text = await readFile(file, 'latin1');
	// The file is `const wasm = "<base64>";` and an export of it.
	const match = /^const wasm = "([A-Za-z0-9+/=]+)";/.exec(text);
	if (!match?.[1]) throw new Error(`${file} is not the base64 module this build expects (was Prisma upgraded?)`);
	return match[1];
}
