import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { PrismaClient as PostgresClient } from './generated/postgres/client.ts';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.ts';
import { beforeEachStatement, takeTurn } from './beforeEachStatement.ts';
import { migratePostgres, migrateSqlite, type Provider } from './migrate.ts';
import { cacheStatements } from './statementCache.ts';

/**
 * Both generated clients come from one schema (prisma/postgres is the source of the SQLite copy),
 * so they have the same models and methods; the code is written against the PostgreSQL one.
 */
export type Db = PostgresClient;
export type { Panel, Project, Character, Drawing, StoryPlan, PublishedPost } from './generated/postgres/client.ts';
export { DrawingStatus, StoryStatus } from './generated/postgres/enums.ts';
export { Prisma } from './generated/postgres/client.ts';
export { type DrawingUpdate, drawingJobs } from './drawingJobs.ts';
export { type PublishedPostUpdate, publishedJobs } from './publishedJobs.ts';
export { lockUser, type Tx } from './lockUser.ts';
export { panelCharacters } from './panelCharacters.ts';
export { type DrawingPanel, drawingPanels } from './drawingPanels.ts';
export { type AdmissionFacts, admissionFacts } from './admissionReads.ts';
export { type DeliveryReads, deliveryReads } from './deliveryReads.ts';
export { insertLastPanel } from './lastPanel.ts';
export { hasWaiting, olderStillQueued, promoteWaiting, promoteWaitingIn, usersWithWaiting } from './drawingQueue.ts';

export interface Database {
	readonly db: Db;
	readonly provider: Provider;
	/** Migrations applied by this start. */
	readonly migrated: readonly string[];
	close(): Promise<void>;
}

export interface DatabaseOptions {
	/** `postgres://…`; unset for the embedded SQLite file in `dataDir`. */
	readonly databaseUrl?: string | undefined;
	readonly dataDir: string;
	/** Connections per process to PostgreSQL. */
	readonly poolSize?: number;
	/** Called for every SQL statement, with its text (metrics: counted by shape). */
	readonly onQuery?: (sql: string) => void;
	/** An idle PostgreSQL connection broke (server restart, failover): the pool replaces it. */
	readonly onConnectionError?: (error: Error) => void;
}

/**
 * Interactive transactions (a panel and its drawing stored with the limits checked, a renumbering) wait
 * their turn rather than fail in a burst: on the embedded database they take turns on its one connection,
 * and Prisma's default of 2 s to start one is shorter than 200 commands at once take to pass.
 */
const TRANSACTIONS = { maxWait: 15_000, timeout: 15_000 } as const;

export function sqlitePath(dataDir: string): string {
	return resolve(dataDir, 'comic-bot.sqlite');
}

/** Opens the database, creating and migrating it first when needed. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
	if (options.databaseUrl) {
		const client = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: 10_000 });
		await client.connect();
		let migrated: string[];
		try {
			migrated = await migratePostgres(client);
		} finally {
			await client.end();
		}
		const poolSize = options.poolSize ?? 10;
		const pool = new pg.Pool({
			connectionString: options.databaseUrl,
			max: poolSize,
			connectionTimeoutMillis: 10_000,
			idleTimeoutMillis: 30_000,
		});
		// Without a listener, an idle connection dropped by the server would crash the process.
		pool.on('error', (error) => options.onConnectionError?.(error));
		const onQuery = options.onQuery ?? noop;
		// Counting is all PostgreSQL needs: its driver is asynchronous, so the event loop turns anyway.
		const db = new PostgresClient({
			transactionOptions: TRANSACTIONS,
			// Two connections are always left to single statements: an interaction's inbox row and a command's checks
			// never wait behind a burst of transactions (./beforeEachStatement.ts).
			adapter: beforeEachStatement(new PrismaPg(pool), (_inTransaction, sql) => void onQuery(sql), { maxTransactions: Math.max(1, poolSize - 2) }),
		});
		return {
			db,
			provider: 'postgres',
			migrated,
			// Idempotent: stopping a bot twice (a test, a second signal) must not end the pool twice.
			close: once(async () => {
				await db.$disconnect();
				await pool.end();
			}),
		};
	}

	mkdirSync(options.dataDir, { recursive: true });
	const file = sqlitePath(options.dataDir);
	const raw = new BetterSqlite3(file);
	let migrated: string[];
	try {
		raw.pragma('journal_mode = WAL');
		migrated = migrateSqlite(raw);
	} finally {
		raw.close();
	}
	// WAL lets a second process (a deploy script, a test) read while the bot writes; the busy
	// timeout makes writers wait for each other instead of failing at once.
	const onQuery = options.onQuery ?? noop;
	const sqlite = new SqliteClient({
		transactionOptions: TRANSACTIONS,
		adapter: beforeEachStatement(
			// Statements compiled once and run again (./statementCache.ts).
			cacheStatements(new PrismaBetterSqlite3({ url: file, timeout: 5_000 })),
			(inTransaction, sql) => {
				onQuery(sql);
				// A transaction holds the only connection: its statements run back to back, so it is short.
				return inTransaction ? undefined : takeTurn();
			},
			{ exclusiveTransactions: true },
		),
	});
	await sqlite.$queryRawUnsafe('PRAGMA foreign_keys = ON');
	await sqlite.$queryRawUnsafe('PRAGMA busy_timeout = 5000');
	// In WAL mode NORMAL loses nothing when the process dies (kill -9 included), only possibly the
	// last commits on a power cut, and spares an fsync per write: panels are written several times each.
	await sqlite.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
	// Same models, another provider: see the note on `Db`.
	const db = sqlite as unknown as Db;
	return { db, provider: 'sqlite', migrated, close: once(() => db.$disconnect()) };
}

function noop(): void {}

function once(work: () => Promise<void>): () => Promise<void> {
	let done: Promise<void> | undefined;
	return () => {
		done ??= work();
		return done;
	};
}
