const QUERY_METHODS: ReadonlySet<PropertyKey> = new Set(['queryRaw', 'executeRaw', 'executeScript']);

export interface StatementOptions {
	/**
	 * The embedded database has one connection: a statement sent outside a transaction while one is
	 * open would run inside it (and be rolled back with it). With this on, such statements wait until
	 * the transaction ends.
	 */
	readonly exclusiveTransactions?: boolean;
}

interface Gate {
	open: Promise<void> | undefined;
}

/**
 * Wraps a Prisma driver adapter factory so that `hook` runs before every SQL statement it runs
 * (inside transactions too), and the statement waits for it. Structural, so it fits any adapter
 * (SQLite or PostgreSQL) without depending on Prisma's internal types.
 */
export function beforeEachStatement<T extends object>(factory: T, hook: (inTransaction: boolean) => void | Promise<void>, options: StatementOptions = {}): T {
	const gate: Gate | undefined = options.exclusiveTransactions ? { open: undefined } : undefined;
	return wrap(factory, hook, new Set(['connect', 'connectToShadowDb']), gate, 'factory');
}

/**
 * The embedded database answers synchronously, so a chain of statements never gives the event loop a
 * turn: a hundred panels stored at once would hold back the gateway and every socket until all are
 * done. Before each statement, let the event loop take one turn.
 */
export function takeTurn(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

type Level = 'factory' | 'connection' | 'transaction';

function wrap<T extends object>(
	target: T,
	hook: (inTransaction: boolean) => void | Promise<void>,
	openers: ReadonlySet<PropertyKey>,
	gate: Gate | undefined,
	level: Level,
): T {
	return new Proxy(target, {
		get(object, key, receiver) {
			const value: unknown = Reflect.get(object, key, receiver);
			if (typeof value !== 'function') return value;
			if (QUERY_METHODS.has(key)) {
				const gated = gate && level === 'connection' ? gate : undefined;
				return (...args: unknown[]): unknown => {
					const waiting = hook(level === 'transaction');
					if (!waiting && !gated) return Reflect.apply(value, object, args);
					return (async () => {
						await waiting;
						// Checked last, just before the (synchronous) statement: nothing can open a transaction in between.
						if (gated) while (gated.open) await gated.open;
						return Reflect.apply(value, object, args);
					})();
				};
			}
			if (level === 'transaction' && gate && (key === 'commit' || key === 'rollback')) {
				return async (...args: unknown[]) => {
					try {
						return await Reflect.apply(value, object, args);
					} finally {
						closeGate(gate);
					}
				};
			}
			if (openers.has(key)) {
				// Connections and transactions run statements of their own: hook those as well.
				return async (...args: unknown[]) => {
					if (gate && level === 'connection') while (gate.open) await gate.open;
					const opened: unknown = await Reflect.apply(value, object, args);
					if (typeof opened !== 'object' || opened === null) return opened;
					if (level === 'factory') return wrap(opened, hook, new Set(['startTransaction']), gate, 'connection');
					if (gate) openGate(gate);
					return wrap(opened, hook, new Set(), gate, 'transaction');
				};
			}
			return value.bind(object);
		},
	});
}

const releases = new WeakMap<Gate, () => void>();

function openGate(gate: Gate): void {
	gate.open = new Promise((resolve) => releases.set(gate, resolve));
}

function closeGate(gate: Gate): void {
	gate.open = undefined;
	releases.get(gate)?.();
}
