// Generates the Prisma clients (PostgreSQL and SQLite) after `npm install`.
// The Prisma CLI wants its native schema engine even for `generate`, and cannot download it on
// machines that reach only the npm registry. `generate` never executes that engine, so any
// existing file satisfies the check (see docs/decisions/001-database.md).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' };

for (const provider of ['postgres', 'sqlite']) {
	execFileSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate', '--schema', `prisma/${provider}/schema.prisma`], {
		cwd: root,
		env,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
}
console.log('Prisma clients generated (postgres, sqlite).');
