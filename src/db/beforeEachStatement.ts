const QUERY_METHODS: ReadonlySet<PropertyKey> = new Set(['queryRaw', 'executeRaw', 'executeScript']);

export interface StatementOptions {
	/**
	 * The embedded database has one connection: a statement sent outside a transaction while one is
	 * open would run inside it (and be rolled back with it). With this on, such statements wait until
	 * the transaction ends.
	 */
	readonly exclusiveTransactions?: boolean;
	/**
	 * A pool of connections: at most this many transactions at once, the others waiting their turn here,
	 * first come first served, rather than in the pool's own line. So a burst of transactions (fifty
	 * stories admitted at once) never has every connection, and a single statement (an interaction
	 * written to the inbox before its acknowledgement, a command's checks) finds one at once instead of
	 * waiting behind all of them: measured, 2.8 s on a pool of 10.
	 */
	readonly maxTransactions?: number;
}

/**
 * Places for transactions, taken first come first served: one on the embedded database (its only
 * connection), `maxTransactions` on a pool. On the embedded database a freed place goes to the next in
 * line in a callback of its own (`inTurn`): a transaction's statements run back to back in one chain of
 * promises, and so would the next transaction's if it began as soon as the previous one closed (fifty
 * stories admitted at once held the event loop for 1.5 s, with no socket read and no timer run). Woken by
 * `setImmediate`, the next one begins only after the event loop has served what came in meanwhile
 * (statements outside transactions, which take no place, run first: they only wait for the gate).
 */
interface Slots {
	free: number;
	readonly line: (() => void)[];
	readonly inTurn: boolean;
}

interface Gate {
	open: Promise<void> | undefined;
}

/**
 * Wraps a Prisma driver adapter factory so that `hook` runs before every SQL statement it runs
 * (inside transactions too), and the statement waits for it. Structural, so it fits any adapter
 * (SQLite or PostgreSQL) without depending on Prisma's internal types.
 */
export function beforeEachStatement<T extends object>(factory: T, hook: StatementHook, options: StatementOptions = {}): T {
	const gate: Gate | undefined = options.exclusiveTransactions ? { open: undefined } : undefined;
	const slots: Slots | undefined = options.exclusiveTransactions
		? { free: 1, line: [], inTurn: true }
		: options.maxTransactions === undefined
			? undefined
			: { free: Math.max(1, options.maxTransactions), line: [], inTurn: false };
	return wrap(factory, hook, new Set(['connect', 'connectToShadowDb']), { gate, slots }, 'factory');
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

/** Runs before each statement: whether it runs in a transaction, and its SQL text (for counting by shape). */
export type StatementHook = (inTransaction: boolean, sql: string) => void | Promise<void>;

/** The SQL text of a statement call: `queryRaw`/`executeRaw` take `{ sql }`, `executeScript` a string. */
function sqlOf(args: readonly unknown[]): string {
	const first = args[0];
	if (typeof first === 'string') return first;
	if (typeof first === 'object' && first !== null && 'sql' in first && typeof first.sql === 'string') return first.sql;
	return '';
}

/** What every level shares: the embedded database's gate, the pool's places for transactions. */
interface Limits {
	readonly gate: Gate | undefined;
	readonly slots: Slots | undefined;
}

function wrap<T extends object>(target: T, hook: StatementHook, openers: ReadonlySet<PropertyKey>, limits: Limits, level: Level, close?: () => void): T {
	const { gate, slots } = limits;
	return new Proxy(target, {
		get(object, key, receiver) {
			const value: unknown = Reflect.get(object, key, receiver);
			if (typeof value !== 'function') return value;
			if (QUERY_METHODS.has(key)) {
				const gated = gate && level === 'connection' ? gate : undefined;
				return (...args: unknown[]): unknown => {
					const waiting = hook(level === 'transaction', sqlOf(args));
					if (!waiting && !gated) return Reflect.apply(value, object, args);
					return (async () => {
						await waiting;
						// Checked last, just before the (synchronous) statement: nothing can open a transaction in between.
						if (gated) while (gated.open) await gated.open;
						return Reflect.apply(value, object, args);
					})();
				};
			}
			if (level === 'transaction' && close && (key === 'commit' || key === 'rollback')) {
				return async (...args: unknown[]) => {
					try {
						return await Reflect.apply(value, object, args);
					} finally {
						close();
					}
				};
			}
			if (openers.has(key)) {
				// Connections and transactions run statements of their own: hook those as well.
				return async (...args: unknown[]) => {
					const opening = level === 'connection';
					if (opening && slots) await takeSlot(slots);
					// Closed before the transaction begins: a statement from outside that runs between its BEGIN
					// and the moment it is handed back would otherwise run inside it (and be rolled back with it).
					const held = opening && gate ? openGate(gate) : undefined;
					// Once, whether by commit, rollback or a failure to begin: the gate opens, the place is given back.
					let closed = false;
					const ended = (): void => {
						if (closed) return;
						closed = true;
						if (gate && held) closeGate(gate, held);
						if (opening && slots) giveSlot(slots);
					};
					let opened: unknown;
					try {
						opened = await Reflect.apply(value, object, args);
					} catch (error) {
						ended();
						throw error;
					}
					if (typeof opened !== 'object' || opened === null) {
						ended();
						return opened;
					}
					if (level === 'factory') return wrap(opened, hook, new Set(['startTransaction']), limits, 'connection');
					return wrap(opened, hook, new Set(), limits, 'transaction', slots ? ended : undefined);
				};
			}
			return value.bind(object);
		},
	});
}

function takeSlot(slots: Slots): Promise<void> {
	return new Promise((resolve) => {
		slots.line.push(resolve);
		wakeNext(slots);
	});
}

/** The place goes back, to the next in line if any. */
function giveSlot(slots: Slots): void {
	slots.free++;
	wakeNext(slots);
}

function wakeNext(slots: Slots): void {
	while (slots.free > 0 && slots.line.length > 0) {
		slots.free--;
		const next = slots.line.shift();
		if (!next) continue;
		// In turn: it opens the gate in that callback (its continuation runs before any other callback).
		if (slots.inTurn) setImmediate(next);
		else next();
	}
}

/** One transaction's hold on the gate: closing it releases exactly those who waited for it. */
interface Token {
	readonly promise: Promise<void>;
	readonly release: () => void;
}

function openGate(gate: Gate): Token {
	let release: () => void = () => undefined;
	const promise = new Promise<void>((resolve) => {
		release = resolve;
	});
	gate.open = promise;
	return { promise, release };
}

/**
 * Closes this transaction's hold and releases those who waited for it. Only the transaction holding the
 * one place holds the gate; should another hold have replaced it, that one stays (its waiters look again).
 */
function closeGate(gate: Gate, token: Token): void {
	if (gate.open === token.promise) gate.open = undefined;
	token.release();
}
