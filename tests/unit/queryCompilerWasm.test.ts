import { describe, expect, it } from 'vitest';
import { queryCompilerBase64 } from '../../src/db/queryCompilerWasm.ts';

// The bundle reads Prisma's query compiler from its file (scripts/build.mjs): it must be the very module the generated client imports.
describe('queryCompilerBase64', () => {
	for (const provider of ['sqlite', 'postgresql'] as const)
		it(`reads the ${provider} query compiler as Prisma's module exports it`, async () => {
			const read = await queryCompilerBase64(provider);
			const { wasm } = await import(`@prisma/client/runtime/query_compiler_fast_bg.${provider}.wasm-base64.mjs`);
			expect(read).toBe(wasm);
			// WebAssembly's magic number: a NUL, then "asm".
			expect(Buffer.from(read, 'base64').subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
		});
});
