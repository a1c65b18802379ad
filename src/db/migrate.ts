import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import type pg from 'pg';

export type Provider = 'postgres' | 'sqlite';

interface Migration {
	readonly name: string;
	readonly sql: string;
	readonly checksum: string;
}

/** The project root: the nearest folder above this module with a package.json (src/db/ or the dist/ bundle). */
function projectRoot(): string {
	let dir = dirname(fileURLToPath(import.meta.url));
	while (!existsSync(join(dir, 'package.json'))) {
		const parent = dirname(dir);
		if (parent === dir) throw new Error("cannot find the project root (package.json) above the bot's code");
		dir = parent;
	}
	return dir;
}

export function migrationsDir(provider: Provider): string {
	return join(projectRoot(), 'prisma', provider, 'migrations');
}

/** The migrations of a provider, in the order Prisma applies them (by folder name). */
export function readMigrations(provider: Provider): Migration[] {
	const dir = migrationsDir(provider);
	return readdirSync(dir, { withFileTypes: true })
		.filter((entry) => entry.isDirectory() && existsSync(`${dir}/${entry.name}/migration.sql`))
		.map((entry) => entry.name)
		.sort()
		.map((name) => {
			const sql = readFileSync(`${dir}/${name}/migration.sql`, 'utf8');
			return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
		});
}

// The same bookkeeping table as `prisma migrate deploy`, so the Prisma CLI and prisma-offline agree with us.
const CREATE_TABLE_SQLITE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
	"id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME, "migration_name" TEXT NOT NULL,
	"logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;
const CREATE_TABLE_POSTGRES = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
	"id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL,
	"logs" TEXT, "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;

/**
 * Applies pending migrations to an SQLite file, each in its own transaction. Returns the names applied.
 * `through` stops after that migration (tests build a database as an older version left it).
 */
export function migrateSqlite(db: Database.Database, through?: string): string[] {
	db.exec(CREATE_TABLE_SQLITE);
	const applied = new Set(
		db
			.prepare('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL')
			.all()
			.map((row) => String((row as { migration_name: unknown }).migration_name)),
	);
	const done: string[] = [];
	for (const migration of readMigrations('sqlite')) {
		if (through !== undefined && migration.name > through) break;
		if (applied.has(migration.name)) continue;
		// A table redefinition (create new, copy, drop old, rename) must not cascade the drop into the rows
		// that point at the old table: foreign keys are off while a migration runs (the pragma is a no-op
		// inside a transaction), and checked once it is done.
		db.pragma('foreign_keys = OFF');
		db.transaction(() => {
			db.exec(migration.sql);
			const broken = db.pragma('foreign_key_check') as unknown[];
			if (broken.length > 0) throw new Error(`migration ${migration.name} leaves ${broken.length} rows pointing nowhere`);
			db.prepare('INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)').run(
				randomUUID(),
				migration.checksum,
				migration.name,
				Date.now(),
				Date.now(),
			);
		})();
		db.pragma('foreign_keys = ON');
		done.push(migration.name);
	}
	return done;
}

/**
 * Applies pending migrations to PostgreSQL. An advisory lock makes processes that start together
 * take turns, so each migration runs once.
 */
export async function migratePostgres(client: pg.Client, through?: string): Promise<string[]> {
	const LOCK = 72_707_369; // any constant shared by every process of this bot
	await client.query('SELECT pg_advisory_lock($1)', [LOCK]);
	try {
		await client.query(CREATE_TABLE_POSTGRES);
		const { rows } = await client.query<{ migration_name: string }>(
			'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
		);
		const applied = new Set(rows.map((row) => row.migration_name));
		const done: string[] = [];
		for (const migration of readMigrations('postgres')) {
			if (through !== undefined && migration.name > through) break;
			if (applied.has(migration.name)) continue;
			await client.query('BEGIN');
			try {
				await client.query(migration.sql);
				await client.query(
					'INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), now(), 1)',
					[randomUUID(), migration.checksum, migration.name],
				);
				await client.query('COMMIT');
			} catch (error) {
				await client.query('ROLLBACK');
				throw error;
			}
			done.push(migration.name);
		}
		return done;
	} finally {
		await client.query('SELECT pg_advisory_unlock($1)', [LOCK]);
	}
}
