// The job runner against an in-memory job table: what it promises (steps stored in order, only while the
// lease is held; retries bounded; unexpected errors contained; one claim per row), without a database.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, expect, test } from 'vitest';
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

function world(step: (subject: Subject, now: number) => Promise<Outcome<Update>>, options: { owner?: string; now?: () => number } = {}) {
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
		},
		logContext: (subject) => ({ id: subject.id }),
	};
	const runner = createJobRunner({
		log: createLog('silent'),
		kinds: [kind],
		owner: options.owner ?? `${hostname()}:${process.pid}:aaa111`,
		leaseMs: 10_000,
		now: options.now,
	});
	runners.push(runner);
	return { table, runner, seen, unexpected, announced, lost };
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
