/**
 * Prisma's adapter for the embedded database compiles every statement it runs from its text again
 * (`client.prepare(sql).bind(args)`): measured in the benchmark's profile, SQLite's compiler was the
 * largest single cost of a panel's statements. Prisma sends the same text for the same query, so a
 * compiled statement can be kept and run again with new values. This gives the connection a `prepare`
 * that remembers up to `size` statements by text (least recently used leave first) and hands out a
 * statement whose `bind` does not bind it for good: each use runs the kept statement with its own values.
 *
 * Only what the adapter calls is offered (`bind(args)` then `reader`, `run()`, `columns()`,
 * `raw().all()`; `run()` for BEGIN), and a statement's columns are described once. SQLite recompiles a kept
 * statement by itself after a schema change; the bot changes its schema only before the client is made.
 */

/** The part of a better-sqlite3 statement the adapter and this cache use. */
interface Statement {
	readonly reader: boolean;
	run(...args: unknown[]): unknown;
	columns(): unknown[];
	raw(toggle?: boolean): { all(...args: unknown[]): unknown[] };
}

interface Connection {
	prepare(sql: string): Statement;
}

/** A connection of the factory gets a remembering `prepare`; a factory of any other shape is returned as it is. */
export function cacheStatements<T extends object>(factory: T, size = 500): T {
	return new Proxy(factory, {
		get(target, key, receiver) {
			const value: unknown = Reflect.get(target, key, receiver);
			if (key !== 'connect' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
			return async (...args: unknown[]) => {
				const adapter: unknown = await Reflect.apply(value, target, args);
				const client = typeof adapter === 'object' && adapter !== null ? Reflect.get(adapter, 'client') : undefined;
				if (isConnection(client)) rememberStatements(client, size);
				return adapter;
			};
		},
	});
}

function isConnection(value: unknown): value is Connection {
	return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'prepare') === 'function';
}

function rememberStatements(client: Connection, size: number): void {
	const prepare = client.prepare.bind(client);
	const kept = new Map<string, Kept>();
	const remembering = (sql: string): Kept => {
		let statement = kept.get(sql);
		if (statement) {
			// Most recently used last: the first key is the one to forget.
			kept.delete(sql);
		} else {
			statement = new Kept(prepare(sql));
			if (kept.size >= size) {
				const oldest = kept.keys().next().value;
				if (oldest !== undefined) kept.delete(oldest);
			}
		}
		kept.set(sql, statement);
		return statement;
	};
	Object.defineProperty(client, 'prepare', { configurable: true, writable: true, value: remembering });
}

/** A kept statement as the adapter sees it: `bind` gives a use of it with these values, leaving it reusable. */
class Kept {
	/** A statement's columns are fixed by its text (the schema changes only before the client exists): described once. */
	private described: unknown[] | undefined;

	public constructor(public readonly statement: Statement) {}

	public get reader(): boolean {
		return this.statement.reader;
	}

	public columns(): unknown[] {
		this.described ??= this.statement.columns();
		return this.described;
	}

	public bind(args: readonly unknown[]): Use {
		return new Use(this, args);
	}

	public run(): unknown {
		return this.statement.run();
	}
}

class Use {
	public constructor(
		private readonly kept: Kept,
		private readonly args: readonly unknown[],
	) {}

	public get reader(): boolean {
		return this.kept.reader;
	}

	public run(): unknown {
		return this.kept.statement.run(...this.args);
	}

	public columns(): unknown[] {
		return this.kept.columns();
	}

	public raw(): { all(): unknown[] } {
		const rows = this.kept.statement.raw(true);
		return { all: () => rows.all(...this.args) };
	}
}
