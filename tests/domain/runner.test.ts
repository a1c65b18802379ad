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
	options: {
		owner?: string;
		now?: () => number;
		leaseMs?: number;
		maintain?: (now: number) => Promise<number>;
		lost?: () => Promise<void>;
		/** A kind without a `lost` hook (it is optional). */
		noLost?: boolean;
	} = {},
) {
	const logLines: LogLine[] = [];
	const table = new MemoryTable();
	const seen: string[] = [];
	const unexpected: string[] = [];
	const announced: string[] = [];
	const lost: string[] = [];
	let loads = 0;
	const kind: JobKind<Subject, Update> = {
		name: 'toy',
		table,
		retry: POLICY,
		async load(id, claim) {
			loads++;
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
		...(options.noLost
			? {}
			: {
					async lost(id: string, _subject: Subject, outcome: { update?: Update | undefined }) {
						lost.push(`${id}:${outcome.update?.state}`);
						await options.lost?.();
					},
				}),
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
	return { table, runner, seen, unexpected, announced, lost, logLines, loads: () => loads };
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

test('a row its caller just stored runs from the subject it hands over while half its lease is left; later, the row is read', async () => {
	let clock = 100_000;
	const { table, runner, seen, loads } = world(async (subject) => ({ update: { state: `${subject.state}+1` }, next: null }), { now: () => clock });
	const fresh = runner.newClaim('cmd-1');
	table.add('a', { state: 'stored', leaseOwner: fresh.claim, leaseUntil: fresh.until.getTime() });
	const handed = { id: 'a', errorCount: 0, leaseOwner: fresh.claim, state: 'handed' };
	expect(await runner.run('toy', 'a', fresh.claim, { subject: handed, until: fresh.until })).toBe(true);
	expect(seen).toEqual(['a:handed']);
	expect(loads()).toBe(0);
	expect(table.rows.get('a')).toMatchObject({ state: 'handed+1', leaseOwner: null });

	// Less than half the lease left (the caller waited): another process may be about to claim it, so it is read.
	const late = runner.newClaim('cmd-2');
	table.add('b', { state: 'stored', leaseOwner: late.claim, leaseUntil: late.until.getTime() });
	clock += 5_001;
	expect(await runner.run('toy', 'b', late.claim, { subject: { ...handed, id: 'b', leaseOwner: late.claim }, until: late.until })).toBe(true);
	expect(seen).toEqual(['a:handed', 'b:stored']);
	expect(loads()).toBe(1);
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

// What the runner asks of its table and leaves behind: the claims it names, the queries it spares, the
// timers it clears. Each test below fails if the line it pins is changed (npm run mutate).

/** Counts the calls of each table method (wrapping them, the contract unchanged). */
function countCalls(table: MemoryTable): Record<'due' | 'claim' | 'earliestDue' | 'store', number> {
	const calls = { due: 0, claim: 0, earliestDue: 0, store: 0 };
	for (const name of Object.keys(calls) as (keyof typeof calls)[]) {
		const original = table[name].bind(table) as (...args: unknown[]) => Promise<unknown>;
		Object.assign(table, {
			[name]: (...args: unknown[]) => {
				calls[name]++;
				return original(...args);
			},
		});
	}
	return calls;
}

test('a runner driven by its caller sets no timer of its own; once started, a poke wakes it for a row due before the first tick', async () => {
	vi.useFakeTimers({ now: 1_000_000 });
	try {
		const { table, runner, seen } = world(async () => ({ update: { state: 'done' }, next: null }));
		table.add('soon', { dueAt: Date.now() + 1_000 });
		await runner.poke();
		await vi.advanceTimersByTimeAsync(1_000);
		// Not started: pollOnce and pokes are the caller's to drive.
		expect(seen).toEqual([]);
		table.add('later', { dueAt: Date.now() + 1_000 });
		runner.start(60);
		await runner.poke();
		expect(seen).toEqual(['soon:new']);
		await vi.advanceTimersByTimeAsync(999);
		expect(seen).toEqual(['soon:new']);
		await vi.advanceTimersByTimeAsync(1);
		expect(seen).toEqual(['soon:new', 'later:new']);
		await runner.stop();
	} finally {
		vi.useRealTimers();
	}
});

test('a claim is named after this process, so that its leases can be told apart and freed by owner', async () => {
	const owners: (string | null | undefined)[] = [];
	const { table, runner } = world(async (subject) => {
		owners.push(table.rows.get(subject.id)?.leaseOwner);
		return { update: { state: 'done' }, next: null };
	});
	table.add('a');
	await runner.pollOnce();
	expect(owners).toEqual([expect.stringMatching(new RegExp(`^${hostname()}:${process.pid}:aaa111/.+`))]);
});

test('a wake asks nothing of the table it need not: no read for a batch of 0, no claim when nothing is due, no load after the last step', async () => {
	const { table, runner, loads } = world(async () => ({ update: { state: 'done' }, next: null }));
	const calls = countCalls(table);
	expect(await runner.pollOnce({ batchSize: 0 })).toEqual({ claimed: 0, failed: 0 });
	expect(calls.due).toBe(0);
	table.add('later', { dueAt: Date.now() + 60_000 });
	expect(await runner.pollOnce()).toEqual({ claimed: 0, failed: 0 });
	expect(calls).toMatchObject({ due: 1, claim: 0 });
	// One step that ends the work: one load, one store, and the row is not read again.
	table.add('now');
	expect(await runner.pollOnce()).toEqual({ claimed: 1, failed: 0 });
	expect(calls).toMatchObject({ due: 2, claim: 1, store: 1 });
	expect(loads()).toBe(1);
});

test('a run leaves no lease renewal behind, and a stopped runner no timer at all', async () => {
	vi.useFakeTimers({ now: 1_000_000 });
	try {
		const { table, runner } = world(async () => ({ update: { state: 'done' }, next: null }), { leaseMs: 3_000 });
		table.add('a');
		await runner.pollOnce();
		expect(vi.getTimerCount()).toBe(0);
		runner.start(10);
		table.add('soon', { dueAt: Date.now() + 3_000 });
		await runner.poke();
		// The tick's interval and the wake for "soon".
		expect(vi.getTimerCount()).toBe(2);
		await runner.stop();
		expect(vi.getTimerCount()).toBe(0);
	} finally {
		vi.useRealTimers();
	}
});

test('stop resolves only once the rows being worked on are stored', async () => {
	let release: () => void = () => {};
	const gate = new Promise<void>((resolve) => {
		release = resolve;
	});
	const { table, runner } = world(async () => {
		await gate;
		return { update: { state: 'done' }, next: null };
	});
	runner.start(60);
	table.add('working');
	await runner.poke();
	const stateWhenStopped = runner.stop().then(() => table.rows.get('working')?.state);
	release();
	expect(await stateWhenStopped).toBe('done');
});

test('a runner stopped while its tick is under way claims nothing in that tick', async () => {
	let release: () => void = () => {};
	const gate = new Promise<void>((resolve) => {
		release = resolve;
	});
	let upkeep: () => void = () => {};
	const upkeepStarted = new Promise<void>((resolve) => {
		upkeep = resolve;
	});
	const { table, runner, seen } = world(async () => ({ next: null }), {
		maintain: async () => {
			upkeep();
			await gate;
			return 0;
		},
	});
	table.add('due');
	const tick = runner.poke();
	await upkeepStarted;
	await runner.stop();
	release();
	await tick;
	expect(seen).toEqual([]);
	expect(table.rows.get('due')?.leaseOwner).toBeNull();
});

test('a claimed row that is gone before it is read is let go quietly, not counted failed', async () => {
	const { table, runner, seen, logLines } = world(async () => ({ next: null }));
	const claim = table.claim.bind(table);
	table.claim = async (ids, now, owner, until) => {
		const got = await claim(ids, now, owner, until);
		for (const id of got) table.rows.delete(id);
		return got;
	};
	table.add('deleted');
	expect(await runner.pollOnce()).toEqual({ claimed: 1, failed: 0 });
	expect(seen).toEqual([]);
	expect(logLines.filter((line) => line.level >= 40)).toEqual([]);
});

test('an unexpected error is logged at error level with its reference and the error, and counted as a passing failure', async () => {
	const { table, runner, unexpected, logLines } = world(async () => {
		throw new Error('boom');
	});
	const stored: JobFields[] = [];
	const store = table.store.bind(table);
	table.store = async (id, owner, update, job) => {
		stored.push(job);
		return store(id, owner, update, job);
	};
	table.add('bad');
	await runner.pollOnce();
	expect(logLines.find((line) => line.msg === 'a job step failed unexpectedly')).toMatchObject({
		level: 50,
		job: 'toy',
		id: 'bad',
		reference: unexpected[0],
		err: { message: 'boom' },
	});
	expect(stored).toEqual([expect.objectContaining({ errorCount: { increment: 1 } })]);
});

test('a step that asks for the next at once keeps its lease a full lease from the outcome', async () => {
	let clock = 1_000_000;
	const leases: (number | null | undefined)[] = [];
	const dues: (number | null | undefined)[] = [];
	const { table, runner } = world(
		async (subject) => {
			leases.push(table.rows.get(subject.id)?.leaseUntil);
			dues.push(table.rows.get(subject.id)?.dueAt);
			clock += 500;
			return subject.state === 'new' ? { update: { state: 'half' }, next: 'now' } : { update: { state: 'done' }, next: null };
		},
		{ now: () => clock, leaseMs: 10_000 },
	);
	table.add('a', { dueAt: clock });
	await runner.pollOnce();
	// Claimed at 1 000 000 for 10 s; the first outcome, stored at 1 000 500, keeps it until 1 010 500, due at once.
	expect(leases).toEqual([1_010_000, 1_010_500]);
	expect(dues).toEqual([1_000_000, 1_000_500]);
	expect(table.rows.get('a')).toMatchObject({ state: 'done', leaseOwner: null });
});

test('a lost outcome of a kind with nothing to undo is only logged', async () => {
	const { table, runner, logLines } = world(async () => ({ update: { state: 'submitted' }, next: null }), { noLost: true });
	table.add('stolen');
	table.stealNextStore = true;
	expect(await runner.pollOnce()).toEqual({ claimed: 1, failed: 0 });
	expect(logLines.filter((line) => line.level >= 40).map((line) => line.msg)).toEqual([
		'lost the lease on a job; another process owns it now, or the row is gone',
	]);
});

test('no line says leases were taken over when another process freed them first', async () => {
	const pidMax = Number((await import('node:fs')).readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim());
	const { table, runner, logLines } = world(async () => ({ next: null }));
	table.add('gone', { dueAt: null, leaseOwner: `${hostname()}:${pidMax}:abc123/c1`, leaseUntil: Date.now() + 60_000 });
	table.releaseOwnedBy = async () => 0;
	expect(await runner.releaseDeadLeases()).toBe(0);
	expect(logLines.filter((line) => line.msg === 'took over the work of a process that died')).toEqual([]);
});

/** A runner over several kinds, each a table of its own: what a bot with more than one kind of work runs. */
function kindsWorld(names: readonly string[], options: { concurrency?: number } = {}) {
	const seen: string[] = [];
	const tables = new Map(names.map((name) => [name, new MemoryTable()]));
	const kinds: JobKind<Subject, Update>[] = names.map((name) => {
		const table = tables.get(name) ?? new MemoryTable();
		return {
			name,
			table,
			retry: POLICY,
			async load(id, claim) {
				const row = table.rows.get(id);
				return row && row.leaseOwner === claim ? { id, errorCount: row.errorCount, leaseOwner: row.leaseOwner, state: row.state } : undefined;
			},
			async step(subject) {
				seen.push(`${name}:${subject.id}`);
				return { update: { state: 'done' }, next: null };
			},
			unexpected: () => ({ retry: { giveUp: { next: null } } }),
			logContext: (subject) => ({ id: subject.id }),
		};
	});
	const runner = createJobRunner({ log: createLog('info', { write: () => undefined }), kinds, owner: `${hostname()}:${process.pid}:bbb222`, leaseMs: 10_000 });
	runners.push(runner);
	if (options.concurrency) runner.start(600, { concurrency: options.concurrency });
	const table = (name: string) => {
		const found = tables.get(name);
		if (!found) throw new Error(`no table ${name}`);
		return found;
	};
	return { runner, seen, table };
}

test('with several kinds the runner wakes for the earliest due row of any of them, whatever their order', async () => {
	vi.useFakeTimers({ now: 1_000_000 });
	try {
		for (const order of [
			['later', 'sooner', 'empty'],
			['sooner', 'later', 'empty'],
		]) {
			const { runner, seen, table } = kindsWorld(order);
			runner.start(600);
			table('later').add('l', { dueAt: Date.now() + 5_000 });
			table('sooner').add('s', { dueAt: Date.now() + 2_000 });
			await runner.poke();
			await vi.advanceTimersByTimeAsync(2_000);
			expect(seen).toEqual(['sooner:s']);
			await vi.advanceTimersByTimeAsync(3_000);
			expect(seen).toEqual(['sooner:s', 'later:l']);
			await runner.stop();
		}
	} finally {
		vi.useRealTimers();
	}
});

test('a row due sooner than the wake already set moves the wake; the old timer is cleared, and nothing is read before the wake', async () => {
	vi.useFakeTimers({ now: 1_000_000 });
	try {
		const { table, runner, seen } = world(async () => ({ update: { state: 'done' }, next: null }));
		const calls = countCalls(table);
		runner.start(600);
		table.add('five', { dueAt: Date.now() + 5_000 });
		await runner.poke();
		// One look for the earliest row; the wake set on it ends the look (no second one).
		expect(calls.earliestDue).toBe(1);
		// The tick's interval and one wake.
		expect(vi.getTimerCount()).toBe(2);
		table.add('two', { dueAt: Date.now() + 2_000 });
		await runner.poke();
		expect(vi.getTimerCount()).toBe(2);
		const reads = calls.due;
		await vi.advanceTimersByTimeAsync(1_999);
		expect(calls.due).toBe(reads);
		await vi.advanceTimersByTimeAsync(1);
		expect(seen).toEqual(['two:new']);
		await vi.advanceTimersByTimeAsync(3_000);
		expect(seen).toEqual(['two:new', 'five:new']);
	} finally {
		vi.useRealTimers();
	}
});

test('with every slot busy the runner does not look for the next due row; a full batch is claimed again, a partial one is not', async () => {
	vi.useFakeTimers({ now: 1_000_000 });
	try {
		let release: () => void = () => {};
		const gate = new Promise<void>((resolve) => {
			release = resolve;
		});
		const busy = world(async () => {
			await gate;
			return { update: { state: 'done' }, next: null };
		});
		const busyCalls = countCalls(busy.table);
		busy.runner.start(600, { concurrency: 1 });
		busy.table.add('working');
		busy.table.add('waiting', { dueAt: Date.now() + 1_000 });
		await busy.runner.poke();
		expect(busy.seen).toEqual(['working:new']);
		expect(busyCalls.earliestDue).toBe(0);
		release();
		await vi.advanceTimersByTimeAsync(1_000);
		expect(busy.seen).toEqual(['working:new', 'waiting:new']);

		const batches = world(async () => ({ update: { state: 'done' }, next: null }));
		const calls = countCalls(batches.table);
		batches.runner.start(600, { batchSize: 2, concurrency: 10 });
		for (const id of ['a', 'b', 'c', 'd', 'e']) batches.table.add(id);
		await batches.runner.poke();
		// Two full batches and a partial one: three reads, no fourth.
		expect(calls.due).toBe(3);
	} finally {
		vi.useRealTimers();
	}
});

test('pollOnce works on no more rows at once than its concurrency', async () => {
	let running = 0;
	let most = 0;
	const { table, runner } = world(async () => {
		running++;
		most = Math.max(most, running);
		await new Promise((resolve) => setImmediate(resolve));
		running--;
		return { update: { state: 'done' }, next: null };
	});
	for (const id of ['a', 'b', 'c']) table.add(id);
	expect(await runner.pollOnce({ concurrency: 1 })).toEqual({ claimed: 3, failed: 0 });
	expect(most).toBe(1);
});

/** A table whose `n`-th read of due rows waits for `release` (after reading). */
function gateDueRead(table: MemoryTable, calls: { due: number }, n: number) {
	let release: () => void = () => {};
	const gate = new Promise<void>((resolve) => {
		release = resolve;
	});
	let entered: () => void = () => {};
	const reading = new Promise<void>((resolve) => {
		entered = resolve;
	});
	const due = table.due.bind(table);
	table.due = async (now, limit) => {
		const rows = await due(now, limit);
		if (calls.due === n) {
			entered();
			await gate;
		}
		return rows;
	};
	return { reading, release };
}

test('a poke during a claim is not lost: the claim runs once more after it, never two at once', async () => {
	const { table, runner, seen } = world(async () => ({ update: { state: 'done' }, next: null }));
	const calls = countCalls(table);
	const { reading, release } = gateDueRead(table, calls, 1);
	const one = runner.poke();
	await reading;
	// The first claim read nothing due; a row arrives and a poke asks again while that claim is under way.
	table.add('late');
	const two = runner.poke();
	await new Promise((resolve) => setImmediate(resolve));
	expect(calls.due).toBe(1);
	release();
	await Promise.all([one, two]);
	expect(calls.due).toBe(2);
	await runner.stop();
	expect(seen).toEqual(['late:new']);
	expect(table.rows.get('late')?.state).toBe('done');
});

test('stop waits for a claim under way and the rows it claimed', async () => {
	const { table, runner } = world(async () => ({ update: { state: 'done' }, next: null }));
	const calls = countCalls(table);
	const { reading, release } = gateDueRead(table, calls, 1);
	table.add('claimed');
	const poked = runner.poke();
	await reading;
	const stateWhenStopped = runner.stop().then(() => table.rows.get('claimed')?.state);
	release();
	await poked;
	expect(await stateWhenStopped).toBe('done');
});

test('a stopped runner that is poked does no upkeep either', async () => {
	const upkeeps: number[] = [];
	const { runner } = world(async () => ({ next: null }), {
		maintain: async (now) => {
			upkeeps.push(now);
			return 0;
		},
	});
	await runner.stop();
	await runner.poke();
	expect(upkeeps).toEqual([]);
});

test('failures of a tick are logged and the tick goes on: the look for dead leases, the claim, the look for the next row', async () => {
	const { table, runner, logLines } = world(async () => ({ next: null }), { maintain: async () => 0 });
	table.leaseOwners = async () => {
		throw new Error('owners unreadable');
	};
	table.due = async () => {
		throw new Error('due unreadable');
	};
	table.earliestDue = async () => {
		throw new Error('earliest unreadable');
	};
	await runner.poke();
	const brief = logLines.map((line) => [line.level, line.msg, (line.err as { message?: string } | undefined)?.message]);
	expect(brief).toEqual([
		[40, 'could not look for leases of dead processes', 'owners unreadable'],
		[50, 'claiming due jobs failed', 'due unreadable'],
		[40, 'could not read the next due job', 'earliest unreadable'],
	]);
	expect(logLines[2]).toMatchObject({ job: 'toy' });
});
