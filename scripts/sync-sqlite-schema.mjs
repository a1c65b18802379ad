// Writes prisma/sqlite/schema.prisma from the canonical prisma/postgres/schema.prisma.
// Prisma needs one schema (and one generated client) per provider; the models stay identical.
// `--check` exits 1 when the SQLite schema is out of date (used by the test suite).
import { readFileSync, writeFileSync } from 'node:fs';

const source = new URL('../prisma/postgres/schema.prisma', import.meta.url);
const target = new URL('../prisma/sqlite/schema.prisma', import.meta.url);

export function sqliteSchema(postgresSchema) {
	return postgresSchema
		.replace(
			/^\/\/ The canonical schema\.[^\n]*\n\/\/[^\n]*\n/,
			'// GENERATED from prisma/postgres/schema.prisma by scripts/sync-sqlite-schema.mjs: edit that file.\n',
		)
		.replace('provider = "postgresql"', 'provider = "sqlite"')
		.replace('generated/postgres', 'generated/sqlite');
}

const expected = sqliteSchema(readFileSync(source, 'utf8'));
if (process.argv.includes('--check')) {
	const actual = readFileSync(target, 'utf8');
	if (actual !== expected) {
		console.error('prisma/sqlite/schema.prisma is out of date: run node scripts/sync-sqlite-schema.mjs');
		process.exit(1);
	}
} else {
	writeFileSync(target, expected);
}
