const QUERY_METHODS: ReadonlySet<PropertyKey> = new Set(['queryRaw', 'executeRaw', 'executeScript']);

/**
 * Wraps a Prisma driver adapter factory so that `hook` runs before every SQL statement it runs
 * (inside transactions too), and the statement waits for it. Structural, so it fits any adapter
 * (SQLite or PostgreSQL) without depending on Prisma's internal types.
 */
export function beforeEachStatement<T extends object>(factory: T, hook: () => void | Promise<void>): T {
	return wrap(factory, hook, new Set(['connect', 'connectToShadowDb']));
}

/**
 * The embedded database answers synchronously, so a chain of statements never gives the event loop a
 * turn: a hundred panels stored at once would hold back the gateway and every socket until all are
 * done. Before each statement, let the event loop take one turn.
 */
export function takeTurn(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

function wrap<T extends object>(target: T, hook: () => void | Promise<void>, openers: ReadonlySet<PropertyKey>): T {
	return new Proxy(target, {
		get(object, key, receiver) {
			const value: unknown = Reflect.get(object, key, receiver);
			if (typeof value !== 'function') return value;
			if (QUERY_METHODS.has(key)) {
				return (...args: unknown[]): unknown => {
					const waiting = hook();
					return waiting ? waiting.then(() => Reflect.apply(value, object, args)) : Reflect.apply(value, object, args);
				};
			}
			if (openers.has(key)) {
				// Connections and transactions run statements of their own: hook those as well.
				return async (...args: unknown[]) => {
					const opened: unknown = await Reflect.apply(value, object, args);
					return typeof opened === 'object' && opened !== null ? wrap(opened, hook, new Set(['startTransaction'])) : opened;
				};
			}
			return value.bind(object);
		},
	});
}
