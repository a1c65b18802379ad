import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Where the benchmark's own PostgreSQL lives: a port and folder of its own, so a shared server (54329) is never disturbed. */
const OWN_SERVER = { PGPORT: '54339', PGROOT: '/tmp/comic-bench-pg' } as const;

export interface BenchServer {
	/** The admin URL (database `postgres`) each scenario makes its own database on. */
	readonly url: string;
	/** What the table says about the database. */
	readonly label: string;
	stop(): void;
}

/**
 * `--pg`: the server named by BENCH_DATABASE_URL or TEST_DATABASE_URL when set (left running), otherwise
 * one started as the tests start theirs (scripts/postgres.sh) on a port and folder of its own, stopped at the end.
 */
export function startBenchServer(): BenchServer {
	const given = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
	if (given) return { url: given, label: `PostgreSQL (${new URL(given).host}, given)`, stop: () => undefined };
	const env = { ...process.env, ...OWN_SERVER };
	const url = execFileSync('bash', [`${root}scripts/postgres.sh`, 'start'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
	return {
		url,
		label: `PostgreSQL (started on ${new URL(url).host})`,
		stop: () => {
			execFileSync('bash', [`${root}scripts/postgres.sh`, 'stop'], { env, stdio: 'inherit' });
		},
	};
}

/** A database of its own for one scenario on `server`, dropped afterwards; undefined: the bot's embedded SQLite. */
export async function scenarioDatabase(server: BenchServer | undefined): Promise<{ url: string | undefined; drop(): Promise<void> }> {
	if (!server) return { url: undefined, drop: async () => undefined };
	const name = `comic_bench_${randomBytes(6).toString('hex')}`;
	await withClient(server.url, (client) => client.query(`CREATE DATABASE ${name}`));
	const url = new URL(server.url);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: () => withClient(server.url, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
	};
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}
