// Statements of the embedded database compiled once and run again with new values (src/db/statementCache.ts),
// through Prisma's real better-sqlite3 adapter on a real file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { cacheStatements } from '../../src/db/statementCache.ts';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'statement-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Adapter = Awaited<ReturnType<PrismaBetterSqlite3['connect']>>;

// The better-sqlite3 Database's own prepare, under the cache's: count what reaches it.
const original = BetterSqlite3.prototype.prepare;
let count = 0;
beforeEach(() => {
	count = 0;
	BetterSqlite3.prototype.prepare = function (this: BetterSqlite3.Database, source: string) {
		count++;
		return original.call(this, source);
	} as typeof original;
});
afterEach(() => {
	BetterSqlite3.prototype.prepare = original;
});

async function connect(size: number): Promise<{ adapter: Adapter; compiled: () => number }> {
	const adapter = await cacheStatements(new PrismaBetterSqlite3({ url: join(dir, 'db.sqlite') }), size).connect();
	return { adapter, compiled: () => count };
}

const query = (sql: string, args: readonly (string | number)[] = []) => ({
	sql,
	args: [...args],
	argTypes: args.map((arg) => ({ scalarType: typeof arg === 'number' ? ('int' as const) : ('string' as const), arity: 'scalar' as const })),
});

test('a statement run again with other values gives their rows, compiled once', async () => {
	const { adapter, compiled } = await connect(10);
	await adapter.executeScript('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
	const insert = 'INSERT INTO t (id, name) VALUES (?, ?)';
	for (const [id, name] of [
		[1, 'ada'],
		[2, 'bo'],
		[3, 'cy'],
	] as const)
		expect(await adapter.executeRaw(query(insert, [id, name]))).toBe(1);
	const select = 'SELECT name FROM t WHERE id = ?';
	const names = [];
	for (const id of [2, 3, 1]) names.push((await adapter.queryRaw(query(select, [id]))).rows);
	expect(names).toEqual([[['bo']], [['cy']], [['ada']]]);
	// One compilation per text: the insert and the select (the script is not a prepared statement).
	expect(compiled()).toBe(2);
	await adapter.dispose();
});

test('beyond its size the least recently used statement is forgotten and compiled again when next used', async () => {
	const { adapter, compiled } = await connect(2);
	await adapter.executeScript('CREATE TABLE t (id INTEGER PRIMARY KEY)');
	const one = 'SELECT 1 AS n';
	const two = 'SELECT 2 AS n';
	const three = 'SELECT 3 AS n';
	for (const sql of [one, two, one, three]) await adapter.queryRaw(query(sql));
	// `two` was the least recently used when `three` came: `one` is still kept, `two` is compiled again.
	expect(compiled()).toBe(3);
	await adapter.queryRaw(query(one));
	expect(compiled()).toBe(3);
	expect((await adapter.queryRaw(query(two))).rows).toEqual([[2]]);
	expect(compiled()).toBe(4);
	await adapter.dispose();
});

test('a failing statement is refused as before and leaves its kept statement usable', async () => {
	const { adapter } = await connect(10);
	await adapter.executeScript('CREATE TABLE t (id INTEGER PRIMARY KEY)');
	const insert = 'INSERT INTO t (id) VALUES (?)';
	await adapter.executeRaw(query(insert, [1]));
	await expect(adapter.executeRaw(query(insert, [1]))).rejects.toThrow();
	expect(await adapter.executeRaw(query(insert, [2]))).toBe(1);
	expect((await adapter.queryRaw(query('SELECT count(*) FROM t'))).rows).toEqual([[2]]);
	await adapter.dispose();
});

test('a transaction begins and commits through the kept statements', async () => {
	const { adapter } = await connect(10);
	await adapter.executeScript('CREATE TABLE t (id INTEGER PRIMARY KEY)');
	for (const id of [1, 2]) {
		const tx = await adapter.startTransaction();
		await tx.executeRaw(query('INSERT INTO t (id) VALUES (?)', [id]));
		await tx.executeRaw(query('COMMIT'));
		await tx.commit();
	}
	expect((await adapter.queryRaw(query('SELECT id FROM t ORDER BY id'))).rows).toEqual([[1], [2]]);
	await adapter.dispose();
});
