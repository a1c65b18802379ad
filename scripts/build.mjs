// Bundles the bot's own code into dist/ (dependencies stay in node_modules). `npm start` runs the
// bundle with plain node: no TypeScript loader thread in the process, about 40 MB less memory.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const wasmLoader = fileURLToPath(new URL('../src/db/queryCompilerWasm.ts', import.meta.url));

/**
 * The generated Prisma clients import their query compiler's base64 module, which then stays loaded
 * (8.4 MB of heap for the life of the process): the bundle reads it from its file instead
 * (src/db/queryCompilerWasm.ts, docs/decisions/031-memory.md). A generated client that no longer has
 * the expected line fails the build rather than quietly keeping the memory.
 */
const prismaWasmFromFile = {
	name: 'prisma-wasm-from-file',
	setup(builder) {
		builder.onLoad({ filter: /[\\/]src[\\/]db[\\/]generated[\\/](sqlite|postgres)[\\/]internal[\\/]class\.ts$/ }, async (args) => {
			const source = await readFile(args.path, 'utf8');
			const line = /const \{ wasm \} = await import\("@prisma\/client\/runtime\/query_compiler_fast_bg\.(sqlite|postgresql)\.wasm-base64\.mjs"\)/;
			const found = line.exec(source);
			if (!found) throw new Error(`${args.path}: the query compiler import was not found; update scripts/build.mjs for this Prisma version`);
			const replaced = source.replace(line, `const wasm = await (await import(${JSON.stringify(wasmLoader)})).queryCompilerBase64("${found[1]}")`);
			return { contents: replaced, loader: 'ts' };
		});
	},
};

await build({
	entryPoints: { main: 'src/main.ts', 'deploy-commands': 'src/deployCommands.ts' },
	outdir: 'dist',
	bundle: true,
	packages: 'external',
	platform: 'node',
	target: 'node20',
	format: 'esm',
	sourcemap: true,
	// Stack traces still name the .ts files and lines; the sources' text would only add ~2 MB to the heap of `--enable-source-maps`.
	sourcesContent: false,
	logLevel: 'warning',
	plugins: [prismaWasmFromFile],
});
