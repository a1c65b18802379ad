const QUERY_METHODS: ReadonlySet<PropertyKey> = new Set(['queryRaw', 'executeRaw', 'executeScript']);

/**
 * Wraps a Prisma driver adapter factory so that every SQL statement it runs (inside transactions
 * too) is counted: the number operators and the benchmark read as database queries. Structural, so
 * it fits any adapter (SQLite or PostgreSQL) without depending on Prisma's internal types.
 */
export function countQueries<T extends object>(factory: T, onQuery: () => void): T {
	return wrap(factory, onQuery, new Set(['connect', 'connectToShadowDb']));
}

function wrap<T extends object>(target: T, onQuery: () => void, openers: ReadonlySet<PropertyKey>): T {
	return new Proxy(target, {
		get(object, key, receiver) {
			const value: unknown = Reflect.get(object, key, receiver);
			if (typeof value !== 'function') return value;
			if (QUERY_METHODS.has(key)) {
				return (...args: unknown[]) => {
					onQuery();
					return Reflect.apply(value, object, args);
				};
			}
			if (openers.has(key)) {
				// Connections and transactions run queries of their own: count those as well.
				return async (...args: unknown[]) => {
					const opened: unknown = await Reflect.apply(value, object, args);
					return typeof opened === 'object' && opened !== null ? wrap(opened, onQuery, new Set(['startTransaction'])) : opened;
				};
			}
			return value.bind(object);
		},
	});
}
