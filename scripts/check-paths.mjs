// Fails when README.md, a decision record or a code comment names a project path that does not exist
// (files move; their mentions in prose are what drifts first). Run by `npm run lint`.
// A mention may be a prefix of a real name (`docs/decisions/011` for `docs/decisions/011-accounts….md`).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const mention = /(?<![\w./@-])((?:src|commands|tests|docs|bench|scripts|prisma)\/[\w./-]+)/g;
const codeRoots = ['src', 'commands', 'tests', 'bench', 'scripts'];
const comment = /\/\/|\/\*|^\s*\*/;

function* walk(dir) {
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) {
			if (entry.name !== 'generated' && entry.name !== 'node_modules') yield* walk(path);
		} else yield path;
	}
}

const exists = (path) => {
	if (existsSync(path)) return true;
	// A prefix of a file's name in an existing folder.
	const folder = dirname(path);
	return existsSync(folder) && readdirSync(folder).some((name) => name.startsWith(basename(path)));
};

const files = ['README.md', ...walk('docs'), ...codeRoots.flatMap((root) => [...walk(root)])].filter((file) => /\.(md|ts|mjs|js)$/.test(file));
const missing = [];
for (const file of files) {
	const isCode = !file.endsWith('.md');
	readFileSync(file, 'utf8')
		.split('\n')
		.forEach((line, index) => {
			if (isCode && !comment.test(line)) return;
			for (const [, raw] of line.matchAll(mention)) {
				const path = raw.replace(/[.,;:]+$/, '');
				if (!exists(path)) missing.push(`${file}:${index + 1}: ${path} does not exist`);
			}
		});
}
if (missing.length > 0) {
	console.error(missing.join('\n'));
	process.exit(1);
}
