import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The suite runs on the embedded SQLite database unless TEST_DATABASE_URL names a PostgreSQL
 * server (`.ci/run` starts one): then each world gets a database of its own, dropped afterwards.
 */
export async function freshDatabase(): Promise<{ url: string | undefined; drop(): Promise<void> }> {
	const admin = process.env.TEST_DATABASE_URL;
	if (!admin) return { url: undefined, drop: async () => undefined };
	const name = `comic_test_${randomBytes(6).toString('hex')}`;
	await withClient(admin, (client) => client.query(`CREATE DATABASE ${name}`));
	const url = new URL(admin);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: () => withClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
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
