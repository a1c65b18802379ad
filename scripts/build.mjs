// Bundles the bot's own code into dist/ (dependencies stay in node_modules). `npm start` runs the
// bundle with plain node: no TypeScript loader thread in the process, about 40 MB less memory.
import { build } from 'esbuild';

await build({
	entryPoints: { main: 'src/main.ts', 'deploy-commands': 'src/deployCommands.ts' },
	outdir: 'dist',
	bundle: true,
	packages: 'external',
	platform: 'node',
	target: 'node20',
	format: 'esm',
	sourcemap: true,
	logLevel: 'warning',
});
