// The job runner against an in-memory job table: what it promises (steps stored in order, only while the
// lease is held; retries bounded; unexpected errors contained; one claim per row), without a database.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, expect, test, vi } from 'vitest';
import type { JobKind } from '../../src/jobs/kind.ts';
import { backoffMs, type Outcome, planRetry, type RetryPolicy } from '../../src/jobs/outcome.ts';
import { createJobRunner, type JobRunner } from '../../src/jobs/runner.ts';
import type { JobColumns, JobFields, JobTable } from '../../src/jobs/table.ts';
import { createLog } from '../../src/log.ts';

interface Row {
	id: string;
	state: string;
	dueAt: number | null;
	errorCount: number;
	leaseOwner: string | null;
	leaseUntil: number | null;
}
type Update = { state: string };
type Subject = JobColumns & { state: string };

/** The JobTable contract over a Map, with the same conditions the SQL tables use. */
class MemoryTable implements JobTable<Update> {
	readonly rows = new Map<string, Row>();
	stores = 0;
	/** When set, the next store finds the lease taken by another process. */
	stealNextStore = false;

	add(id: string, row: Partial<Row> = {}): Row {
		const full: Row = { id, state: 'new', dueAt: 0, errorCount: 0, leaseOwner: null, leaseUntil: null, ...row };
		this.rows.set(id, full);
		return full;
	}
	private free(row: Row, now: number): boolean {
		return row.leaseUntil === null || row.leaseUntil < now;
	}
	async due(now: Date, limit: number) {
		return [...this.rows.values()]
			.filter((row) => row.dueAt !== null && row.dueAt <= now.getTime() && this.free(row, now.getTime()))
			.sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0))
			.slice(0, limit)
			.map((row) => row.id);
	}
	async claim(ids: readonly string[], now: Date, owner: string, until: Date) {
		const got: string[] = [];
		for (const id of ids) {
			const row = this.rows.get(id);
			if (!row || row.dueAt === null || row.dueAt > now.getTime() || !this.free(row, now.getTime())) continue;
			row.leaseOwner = owner;
			row.leaseUntil = until.getTime();
			got.push(id);
		}
		return got;
	}
	async renew(id: string, owner: string, until: Date) {
		const row = this.rows.get(id);
		if (!row || row.leaseOwner !== owner) return false;
		row.leaseUntil = until.getTime();
		return true;
	}
	async store(id: string, owner: string, update: Update | undefined, job: JobFields) {
		const row = this.rows.get(id);
		if (this.stealNextStore && row) {
			this.stealNextStore = false;
			row.leaseOwner = 'thief/1';
		}
		if (!row || row.leaseOwner !== owner) return false;
		this.stores++;
		if (update) row.state = update.state;
		row.dueAt = job.dueAt?.getTime() ?? null;
		row.errorCount = typeof job.errorCount === 'number' ? job.errorCount : row.errorCount + 1;
		row.leaseUntil = job.leaseUntil?.getTime() ?? null;
		if (!job.leaseUntil) row.leaseOwner = null;
		return true;
	}
	async earliestDue(now: Date) {
		const times = [...this.rows.values()].filter((row) => row.dueAt !== null && this.free(row, now.getTime())).map((row) => row.dueAt ?? 0);
		return times.length ? new Date(Math.min(...times)) : undefined;
	}
	async oldestDue(now: Date) {
		return this.earliestDue(now);
	}
	async leaseOwners(now: Date) {
		return [...new Set([...this.rows.values()].filter((row) => (row.leaseUntil ?? 0) >= now.getTime() && row.leaseOwner).map((row) => row.leaseOwner ?? ''))];
	}
	async releaseOwnedBy(prefix: string) {
		let count = 0;
		for (const row of this.rows.values())
			if (row.leaseOwner?.startsWith(prefix)) {
				row.leaseOwner = null;
				row.leaseUntil = null;
				count++;
			}
		return count;
	}
}

const POLICY: RetryPolicy = { attempts: 3, baseMs: 1_000, capMs: 8_000 };
const runners: JobRunner[] = [];
afterEach(async () => {
	await Promise.all(runners.splice(0).map((runner) => runner.stop()));
});

interface LogLine {
	level: number;
	msg: string;
	[field: string]: unknown;
}

function world(
	step: (subject: Subject, now: number) => Promise<Outcome<Update>>,
	options: { owner?: string; now?: () => number; leaseMs?: number; maintain?: (now: number) => Promise<number>; lost?: () => Promise<void> } = {},
) {
	const logLines: LogLine[] = [];
	const table = new MemoryTable();
	const seen: string[] = [];
	const unexpected: string[] = [];
	const announced: string[] = [];
	const lost: string[] = [];
	const kind: JobKind<Subject, Update> = {
		name: 'toy',
		table,
		retry: POLICY,
		async load(id, claim) {
			const row = table.rows.get(id);
			return row && row.leaseOwner === claim ? { id, errorCount: row.errorCount, leaseOwner: row.leaseOwner, state: row.state } : undefined;
		},
		async step(subject, now) {
			seen.push(`${subject.id}:${subject.state}`);
			return step(subject, now);
		},
		unexpected(_subject, reference) {
			unexpected.push(reference);
			return { retry: { giveUp: { update: { state: 'broken' }, next: null } } };
		},
		async afterStore(id, _subject, outcome) {
			announced.push(`${id}:${outcome.update?.state}`);
		},
		async lost(id, _subject, outcome) {
			lost.push(`${id}:${outcome.update?.state}`);
			await options.lost?.();
		},
		...(options.maintain ? { maintain: options.maintain } : {}),
		logContext: (subject) => ({ id: subject.id }),
	};
	const runner = createJobRunner({
		log: createLog('info', { write: (line: string) => void logLines.push(JSON.parse(line)) }),
		kinds: [kind],
		owner: options.owner ?? `${hostname()}:${process.pid}:aaa111`,
		leaseMs: options.leaseMs ?? 10_000,
		now: options.now,
	});
	runners.push(runner);
	return { table, runner, seen, unexpected, announced, lost, logLines };
}

test('a due row is stepped through: each outcome stored in turn, "now" keeps going in the same run, null ends it and frees the row', async () => {
	const { table, runner, seen, announced } = world(async (subject) => {
		if (subject.state === 'new') return { update: { state: 'half' }, next: 'now', announce: true };
		return { update: { state: 'done' }, next: null };
	});
	table.add('a');
	table.add('later', { dueAt: Date.now() + 60_000 });
	expect(await runner.pollOnce()).toEqual({ claimed: 1, failed: 0 });
	expect(seen).toEqual(['a:new', 'a:half']);
	expect(announced).toEqual(['a:half']);
	expect(table.rows.get('a')).toMatchObject({ state: 'done', dueAt: null, leaseOwner: null, leaseUntil: null });
	expect(table.rows.get('later')).toMatchObject({ state: 'new', leaseOwner: null });
});

test('a row another process holds is not run; one whose holder lost the lease mid-run is not stepped further', async () => {
	const { table, runner, seen } = world(async () => ({ update: { state: 'again' }, next: 'now' }));
	table.add('held', { leaseOwner: 'other:1:x/c', leaseUntil: Date.now() + 60_000 });
	expect(await runner.pollOnce()).toEqual({ claimed: 0, failed: 0 });
	expect(seen).toEqual([]);

	table.add('stolen');
	table.stealNextStore = true;
	await runner.pollOnce();
	expect(seen).toEqual(['stolen:new']);
	expect(table.rows.get('stolen')).toMatchObject({ state: 'new', leaseOwner: 'thief/1' });
});

test('an outcome that cannot be stored (the row deleted while its step ran) is handed to the kind to undo, once', async () => {
	const { table, runner, lost } = world(async (subject) => {
		// What a submission does when its panel is deleted meanwhile: the step started something outside.
		table.rows.delete(subject.id);
		return { update: { state: 'submitted' }, next: 'now' };
	});
	table.add('deleted');
	await runner.pollOnce();
	expect(lost).toEqual(['deleted:submitted']);
	expect(table.stores).toBe(0);
});

test('a run stops after a bounded number of steps even if every step asks for the next at once', async () => {
	const { table, runner, seen } = world(async () => ({ next: 'now' }));
	table.add('loop');
	await runner.pollOnce();
	expect(seen.length).toBe(8);
});

test('a passing failure is retried with backoff, never before Retry-After, and given up on after the policy is spent', async () => {
	let clock = 1_000_000;
	const retryAt = clock + 20_000;
	const { table, runner } = world(async () => ({ retry: { retryAt, giveUp: { update: { state: 'gave up' }, next: null } } }), { now: () => clock });
	table.add('flaky', { dueAt: clock });
	await runner.pollOnce();
	let row = table.rows.get('flaky');
	expect(row).toMatchObject({ errorCount: 1, leaseOwner: null, state: 'new' });
	expect(row?.dueAt).toBeGreaterThanOrEqual(retryAt);

	clock = (row?.dueAt ?? 0) + 1;
	await runner.pollOnce();
	row = table.rows.get('flaky');
	expect(row?.errorCount).toBe(2);
	clock = (row?.dueAt ?? 0) + 1;
	await runner.pollOnce();
	// Three attempts in all: the third failure gives up, which is a final outcome (the count starts over).
	expect(table.rows.get('flaky')).toMatchObject({ state: 'gave up', dueAt: null, errorCount: 0 });
});

test('an unexpected error in a step is contained: logged under a reference, stored as the kind says, other rows go on', async () => {
	const { table, runner, unexpected } = world(async (subject) => {
		if (subject.id === 'bad') throw new Error('boom');
		return { update: { state: 'done' }, next: null };
	});
	table.add('bad');
	table.add('good');
	expect(await runner.pollOnce()).toEqual({ claimed: 2, failed: 0 });
	expect(unexpected).toHaveLength(1);
	expect(unexpected[0]).toMatch(/^[0-9a-f]{8}$/);
	expect(table.rows.get('bad')).toMatchObject({ errorCount: 1, state: 'new' });
	expect(table.rows.get('good')).toMatchObject({ state: 'done' });
});

test('the leases of a dead process of this host are freed, those of a live one or another host are not', async () => {
	const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
	const { table, runner } = world(async () => ({ next: null }));
	const until = Date.now() + 60_000;
	table.add('dead', { dueAt: null, leaseOwner: `${hostname()}:${dead}:abc123/c`, leaseUntil: until });
	table.add('alive', { dueAt: null, leaseOwner: `${hostname()}:${process.ppid}:abc123/c`, leaseUntil: until });
	table.add('far', { dueAt: null, leaseOwner: 'elsewhere:1:abc123/c', leaseUntil: until });
	expect(await runner.releaseDeadLeases()).toBe(1);
	expect([...table.rows.values()].map((row) => [row.id, row.leaseOwner !== null])).toEqual([
		['dead', false],
		['alive', true],
		['far', true],
	]);
});

test('a started runner runs what is poked, and stop waits for the run under way', async () => {
	let release: () => void = () => {};
	const gate = new Promise<void>((resolve) => {
		release = resolve;
	});
	const { table, runner } = world(async () => {
		await gate;
		return { update: { state: 'done' }, next: null };
	});
	runner.start(60);
	table.add('poked');
	const poked = runner.poke();
	await new Promise((resolve) => setImmediate(resolve));
	const stopping = runner.stop();
	release();
	await Promise.all([poked, stopping]);
	expect(table.rows.get('poked')?.state).toBe('done');
});

test('the retry rule: the last attempt gives up, Retry-After wins when later, backoff stays within its jittered cap', () => {
	const giveUp = { next: null };
	expect(planRetry({ giveUp }, 2, POLICY, 0)).toEqual({ outcome: giveUp, retried: false });
	expect(planRetry({ giveUp }, 1, POLICY, 0).retried).toBe(true);
	expect(planRetry({ giveUp, retryAt: 50_000 }, 0, POLICY, 0).outcome.next).toBe(50_000);
	expect(planRetry({ giveUp, policy: { attempts: 1, baseMs: 1, capMs: 1 } }, 0, POLICY, 0).retried).toBe(false);
	expect(backoffMs(0, 1_000, 30_000, () => 0)).toBe(500);
	expect(backoffMs(0, 1_000, 30_000, () => 1)).toBe(1_000);
	expect(backoffMs(3, 1_000, 30_000, () => 1)).toBe(8_000);
	expect(backoffMs(10, 1_000, 30_000, () => 1)).toBe(30_000);
});

test('a new claim is named after this process and leased for a full lease from now', () => {
	const { runner } = world(async () => ({ next: null }), { owner: 'h:1:abcdef', now: () => 5_000 });
	expect(runner.owner).toBe('h:1:abcdef');
	expect(runner.newClaim('cmd-1')).toEqual({ claim: 'h:1:abcdef/cmd-1', until: new Date(15_000) });
});

test('running a kind the runner does not know is a programming error that names the kind', async () => {
	const { runner } = world(async () => ({ next: null }));
	await expect(runner.run('nope', 'x', 'c')).rejects.toThrow('no job kind named nope');
});

test('a row whose outcome the table fails to store is counted failed and logged with its job and id; the other rows go on', async () => {
	const { table, runner, logLines } = world(async () => ({ update: { state: 'done' }, next: null }));
	const store = table.store.bind(table);
	table.store = async (id, owner, update, job) => {
		if (id === 'bad') throw new Error('disk full');
		return store(id, owner, update, job);
	};
	table.add('bad');
	table.add('good');
	expect(await runner.pollOnce()).toEqual({ claimed: 2, failed: 1 });
	expect(table.rows.get('good')?.state).toBe('done');
	expect(logLines.find((line) => line.msg === 'a job could not be run')).toMatchObject({ level: 50, job: 'toy', id: 'bad', err: { message: 'disk full' } });
});

test('pollOnce claims at most the batch size asked for', async () => {
	const { table, runner } = world(async () => ({ update: { state: 'done' }, next: null }));
	for (const id of ['a', 'b', 'c']) table.add(id);
	expect(await runner.pollOnce({ batchSize: 2, concurrency: 1 })).toEqual({ claimed: 2, failed: 0 });
	expect(await runner.pollOnce({ batchSize: 0 })).toEqual({ claimed: 0, failed: 0 });
	expect(await runner.pollOnce()).toEqual({ claimed: 1, failed: 0 });
});

test('a lost outcome whose undoing fails is logged, with the loss itself, as warnings', async () => {
	const { table, runner, lost, logLines } = world(async () => ({ update: { state: 'submitted' }, next: null }), {
		lost: async () => {
			throw new Error('cannot cancel');
		},
	});
	table.add('stolen');
	table.stealNextStore = true;
	expect(await runner.pollOnce()).toEqual({ claimed: 1, failed: 0 });
	expect(lost).toEqual(['stolen:submitted']);
	expect(logLines.filter((line) => line.level === 40).map((line) => [line.msg, line.job, (line.err as { message?: string } | undefined)?.message])).toEqual([
		['lost the lease on a job; another process owns it now, or the row is gone', 'toy', undefined],
		['could not undo what a step whose outcome was lost started', 'toy', 'cannot cancel'],
	]);
});

test('a lease renewal that fails during a long step is logged as a warning, and the step still finishes', async () => {
	let renewTried: () => void = () => {};
	const tried = new Promise<void>((resolve) => {
		renewTried = resolve;
	});
	const { table, runner, logLines } = world(
		async () => {
			await tried;
			return { update: { state: 'done' }, next: null };
		},
		{ leaseMs: 300 },
	);
	table.renew = async () => {
		renewTried();
		throw new Error('database busy');
	};
	table.add('long');
	expect(await runner.pollOnce()).toEqual({ claimed: 1, failed: 0 });
	expect(table.rows.get('long')?.state).toBe('done');
	expect(logLines.find((line) => line.msg === 'could not renew a lease')).toMatchObject({
		level: 40,
		job: 'toy',
		id: 'long',
		err: { message: 'database busy' },
	});
});

test('the leases a dead process held are taken over with a log line naming the process and the count', async () => {
	const pidMax = Number((await import('node:fs')).readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim());
	const deadOwner = `${hostname()}:${pidMax}:abc123`;
	const { table, runner, logLines } = world(async () => ({ next: null }));
	const until = Date.now() + 60_000;
	table.add('one', { dueAt: null, leaseOwner: `${deadOwner}/c1`, leaseUntil: until });
	table.add('two', { dueAt: null, leaseOwner: `${deadOwner}/c2`, leaseUntil: until });
	expect(await runner.releaseDeadLeases()).toBe(2);
	expect(logLines.filter((line) => line.msg === 'took over the work of a process that died')).toEqual([
		expect.objectContaining({ level: 30, job: 'toy', owner: deadOwner, count: 2 }),
	]);
	expect(await runner.releaseDeadLeases()).toBe(0);
	expect(logLines.filter((line) => line.msg === 'took over the work of a process that died')).toHaveLength(1);
});

// The schedule below runs on vitest's fake timers: the order of wakes is checked, no real time passes.

test('a started runner wakes every interval and runs what became due meanwhile', async () => {
	vi.useFakeTimers({ now: 1_000_000 });
	try {
		const { table, runner, seen } = world(async () => ({ update: { state: 'done' }, next: null }));
		runner.start(2);
		table.add('r', { dueAt: Date.now() });
		await vi.advanceTimersByTimeAsync(1_999);
		expect(seen).toEqual([]);
		await vi.advanceTimersByTimeAsync(1);
		expect(seen).toEqual(['r:new']);
		await runner.stop();
	} finally {
		vi.useRealTimers();
	}
});

test('between ticks the runner wakes when the earliest row is due, unless it is due at the next tick anyway', async () => {
	vi.useFakeTimers({ now: 1_000_000 });
	try {
		const start = Date.now();
		const { table, runner, seen } = world(async () => ({ update: { state: 'done' }, next: null }));
		runner.start(10);
		table.add('edge', { dueAt: start + 19_950 });
		table.add('soon', { dueAt: start + 13_000 });
		table.add('later', { dueAt: start + 16_000 });
		await vi.advanceTimersByTimeAsync(10_000);
		expect(seen).toEqual([]);
		await vi.advanceTimersByTimeAsync(2_999);
		expect(seen).toEqual([]);
		await vi.advanceTimersByTimeAsync(1);
		expect(seen).toEqual(['soon:new']);
		await vi.advanceTimersByTimeAsync(3_000);
		expect(seen).toEqual(['soon:new', 'later:new']);
		// Due 50 ms before the next tick: left to the tick.
		await vi.advanceTimersByTimeAsync(3_999);
		expect(seen).toEqual(['soon:new', 'later:new']);
		await vi.advanceTimersByTimeAsync(1);
		expect(seen).toEqual(['soon:new', 'later:new', 'edge:new']);
		await runner.stop();
	} finally {
		vi.useRealTimers();
	}
});

test('a poke runs a full batch and then claims again at once; with every slot busy, finished rows make room for the next', async () => {
	vi.useFakeTimers({ now: 1_000_000 });
	try {
		const { table, runner, seen } = world(async () => ({ update: { state: 'done' }, next: null }));
		runner.start(60, { batchSize: 2, concurrency: 10 });
		for (const id of ['a', 'b', 'c', 'd', 'e']) table.add(id);
		await runner.poke();
		await vi.advanceTimersByTimeAsync(0);
		expect(seen.sort()).toEqual(['a:new', 'b:new', 'c:new', 'd:new', 'e:new']);
		await runner.stop();
	} finally {
		vi.useRealTimers();
	}
});

test('no more rows than the concurrency are worked on at once; as one finishes the next is claimed', async () => {
	vi.useFakeTimers({ now: 1_000_000 });
	try {
		const gates = new Map<string, () => void>();
		let running = 0;
		let most = 0;
		const { table, runner, seen } = world(async (subject) => {
			running++;
			most = Math.max(most, running);
			await new Promise<void>((resolve) => gates.set(subject.id, resolve));
			running--;
			return { update: { state: 'done' }, next: null };
		});
		runner.start(60, { concurrency: 2 });
		for (const id of ['a', 'b', 'c', 'd']) table.add(id, { dueAt: Date.now() - 10 });
		await runner.poke();
		await vi.advanceTimersByTimeAsync(0);
		expect(seen).toHaveLength(2);
		gates.get('a')?.();
		await vi.advanceTimersByTimeAsync(20);
		expect(seen).toHaveLength(3);
		for (const id of ['b', 'c']) gates.get(id)?.();
		await vi.advanceTimersByTimeAsync(20);
		gates.get('d')?.();
		await vi.advanceTimersByTimeAsync(20);
		expect(seen.sort()).toEqual(['a:new', 'b:new', 'c:new', 'd:new']);
		expect(most).toBe(2);
		await runner.stop();
	} finally {
		vi.useRealTimers();
	}
});

test('periodic upkeep runs with the look for dead leases, at most every 5 s, and its failure is logged without stopping the tick', async () => {
	vi.useFakeTimers({ now: 1_000_000 });
	try {
		const made: number[] = [];
		let fail = false;
		const { table, runner, seen, logLines } = world(async () => ({ update: { state: 'done' }, next: null }), {
			maintain: async (now) => {
				made.push(now);
				if (fail) throw new Error('upkeep broke');
				return 3;
			},
		});
		runner.start(60);
		await runner.poke();
		await runner.poke();
		expect(made).toEqual([1_000_000]);
		expect(logLines.find((line) => line.msg === 'periodic upkeep made jobs due')).toMatchObject({ level: 30, job: 'toy', made: 3 });
		fail = true;
		await vi.advanceTimersByTimeAsync(4_999);
		await runner.poke();
		expect(made).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(1);
		table.add('r', { dueAt: Date.now() });
		await runner.poke();
		await vi.advanceTimersByTimeAsync(0);
		expect(made).toEqual([1_000_000, 1_005_000]);
		expect(logLines.find((line) => line.msg === 'periodic upkeep failed')).toMatchObject({ level: 40, job: 'toy', err: { message: 'upkeep broke' } });
		expect(seen).toEqual(['r:new']);
		await runner.stop();
	} finally {
		vi.useRealTimers();
	}
});

test('a slow tick skips the beats it overlaps instead of piling them up', async () => {
	vi.useFakeTimers({ now: 1_000_000 });
	try {
		let release: () => void = () => {};
		const gate = new Promise<void>((resolve) => {
			release = resolve;
		});
		let upkeeps = 0;
		const { table, runner } = world(async () => ({ next: null }), {
			maintain: async () => {
				upkeeps++;
				await gate;
				return 0;
			},
		});
		let dueReads = 0;
		const due = table.due.bind(table);
		table.due = async (now, limit) => {
			dueReads++;
			return due(now, limit);
		};
		runner.start(1);
		await vi.advanceTimersByTimeAsync(1_000);
		expect(upkeeps).toBe(1);
		await vi.advanceTimersByTimeAsync(3_000);
		expect(dueReads).toBe(0);
		release();
		await vi.advanceTimersByTimeAsync(0);
		expect(dueReads).toBe(1);
		await vi.advanceTimersByTimeAsync(1_000);
		expect(dueReads).toBe(2);
		await runner.stop();
	} finally {
		vi.useRealTimers();
	}
});

test('a stopped runner claims nothing more, even when poked', async () => {
	const { table, runner, seen } = world(async () => ({ next: null }));
	runner.start(60);
	await runner.stop();
	table.add('late');
	await runner.poke();
	expect(seen).toEqual([]);
	expect(table.rows.get('late')?.leaseOwner).toBeNull();
});
