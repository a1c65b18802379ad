// Holding a job's lease (src/jobs/lease.ts) and telling dead lease holders (src/jobs/owner.ts). The renewal
// cadence is driven by vitest's fake timers: no real waiting, the order of events is what is checked.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { holdLease, LeaseKeeper } from '../../src/jobs/lease.ts';
import { isDeadOwner, markAlive, markStopped, newOwner } from '../../src/jobs/owner.ts';

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	vi.useRealTimers();
});

/** A table whose renewals answer as the test says (true: still held), each recorded with its end. */
function renewals(answer: (call: number) => boolean | Promise<boolean> = () => true) {
	const calls: { id: string; owner: string; until: number }[] = [];
	return {
		calls,
		table: {
			renew: async (id: string, owner: string, until: Date) => {
				calls.push({ id, owner, until: until.getTime() });
				return answer(calls.length);
			},
		},
	};
}

const noErrors = (error: unknown) => {
	throw error;
};

test('a held lease is renewed three times per lease, each time to a full lease from now', async () => {
	const { calls, table } = renewals();
	let clock = 1_000_000;
	const lease = holdLease(table, 'row-1', 'me/1', { leaseMs: 3_000, now: () => clock, onError: noErrors });
	await vi.advanceTimersByTimeAsync(999);
	expect(calls).toEqual([]);
	clock += 1_000;
	await vi.advanceTimersByTimeAsync(1);
	expect(calls).toEqual([{ id: 'row-1', owner: 'me/1', until: 1_001_000 + 3_000 }]);
	await vi.advanceTimersByTimeAsync(2_000);
	expect(calls).toHaveLength(3);
	await lease.release();
});

test('a very short lease is still renewed at most every 100 ms', async () => {
	const { calls, table } = renewals();
	const lease = holdLease(table, 'row', 'me/1', { leaseMs: 150, now: () => 0, onError: noErrors });
	await vi.advanceTimersByTimeAsync(99);
	expect(calls).toHaveLength(0);
	await vi.advanceTimersByTimeAsync(1);
	expect(calls).toHaveLength(1);
	await lease.release();
});

test('once a renewal finds the lease gone (released or taken over), renewing stops', async () => {
	const { calls, table } = renewals((call) => call < 2);
	const lease = holdLease(table, 'row', 'me/1', { leaseMs: 300, now: () => 0, onError: noErrors });
	await vi.advanceTimersByTimeAsync(1_000);
	expect(calls).toHaveLength(2);
	await lease.release();
});

test('after release no renewal follows, and release waits for the renewal under way', async () => {
	let finish: (held: boolean) => void = () => {};
	const { calls, table } = renewals(() => new Promise<boolean>((resolve) => (finish = resolve)));
	const lease = holdLease(table, 'row', 'me/1', { leaseMs: 300, now: () => 0, onError: noErrors });
	await vi.advanceTimersByTimeAsync(100);
	expect(calls).toHaveLength(1);
	let released = false;
	const releasing = lease.release().then(() => {
		released = true;
	});
	await vi.advanceTimersByTimeAsync(0);
	expect(released).toBe(false);
	finish(true);
	await releasing;
	await vi.advanceTimersByTimeAsync(1_000);
	expect(calls).toHaveLength(1);
});

test('renewals never overlap: a slow one makes the next wait for it', async () => {
	const finishers: ((held: boolean) => void)[] = [];
	const { calls, table } = renewals(() => new Promise<boolean>((resolve) => finishers.push(resolve)));
	const lease = holdLease(table, 'row', 'me/1', { leaseMs: 300, now: () => 0, onError: noErrors });
	await vi.advanceTimersByTimeAsync(300);
	expect(calls).toHaveLength(1);
	finishers[0]?.(true);
	await vi.advanceTimersByTimeAsync(0);
	expect(calls).toHaveLength(2);
	finishers[1]?.(true);
	await vi.advanceTimersByTimeAsync(0);
	// The third beat's renewal, queued behind the first two.
	expect(calls).toHaveLength(3);
	const releasing = lease.release();
	finishers[2]?.(true);
	await releasing;
});

test('a failed renewal is reported and the next one is still tried', async () => {
	const errors: unknown[] = [];
	const { calls, table } = renewals((call) => {
		if (call === 1) throw new Error('database busy');
		return true;
	});
	const lease = holdLease(table, 'row', 'me/1', { leaseMs: 300, now: () => 0, onError: (error) => errors.push(error) });
	await vi.advanceTimersByTimeAsync(200);
	expect(calls).toHaveLength(2);
	expect(errors).toEqual([new Error('database busy')]);
	await lease.release();
});

/** A table that renews many leases at once: each call recorded with the rows asked for; `lost` rows are not held any more. */
function batchRenewals(lost: Set<string> = new Set()) {
	const calls: { held: string[]; until: number }[] = [];
	return {
		calls,
		table: {
			renew: async () => {
				throw new Error('renewed one by one');
			},
			renewMany: async (held: readonly { id: string; owner: string }[], until: Date) => {
				calls.push({ held: held.map((row) => `${row.owner}:${row.id}`), until: until.getTime() });
				return new Set(held.filter((row) => !lost.has(row.id)).map((row) => row.id));
			},
		},
	};
}

test('a keeper renews every held lease of a table in one statement per beat, each with its own owner', async () => {
	const { calls, table } = batchRenewals();
	const keeper = new LeaseKeeper({ leaseMs: 300, now: () => 5_000 });
	const a = keeper.hold(table, 'a', 'me/1', noErrors);
	const b = keeper.hold(table, 'b', 'me/2', noErrors);
	await vi.advanceTimersByTimeAsync(100);
	expect(calls).toEqual([{ held: ['me/1:a', 'me/2:b'], until: 5_300 }]);
	await a.release();
	await vi.advanceTimersByTimeAsync(100);
	expect(calls[1]?.held).toEqual(['me/2:b']);
	await b.release();
	// Nothing held: no beat, no statement.
	await vi.advanceTimersByTimeAsync(1_000);
	expect(calls).toHaveLength(2);
});

test('a keeper stops renewing a row the statement no longer found held, and keeps renewing the others', async () => {
	const lost = new Set<string>();
	const { calls, table } = batchRenewals(lost);
	const keeper = new LeaseKeeper({ leaseMs: 300, now: () => 0 });
	const a = keeper.hold(table, 'a', 'me/1', noErrors);
	const b = keeper.hold(table, 'b', 'me/1', noErrors);
	lost.add('a');
	await vi.advanceTimersByTimeAsync(200);
	expect(calls.map((call) => call.held)).toEqual([['me/1:a', 'me/1:b'], ['me/1:b']]);
	await Promise.all([a.release(), b.release()]);
});

test('a failed batch renewal is reported once, naming how many rows failed with it, and the next beat tries again', async () => {
	const errors: { error: unknown; others: number }[] = [];
	let calls = 0;
	const table = {
		renew: async () => true,
		renewMany: async (held: readonly { id: string; owner: string }[]) => {
			calls++;
			if (calls === 1) throw new Error('database busy');
			return new Set(held.map((row) => row.id));
		},
	};
	const keeper = new LeaseKeeper({ leaseMs: 300, now: () => 0 });
	const onError = (error: unknown, others: number) => errors.push({ error, others });
	const held = ['a', 'b', 'c'].map((id) => keeper.hold(table, id, 'me/1', onError));
	await vi.advanceTimersByTimeAsync(200);
	expect(calls).toBe(2);
	expect(errors).toEqual([{ error: new Error('database busy'), others: 2 }]);
	await Promise.all(held.map((lease) => lease.release()));
});

test("a process's lease name is host:pid:six hex digits, different for each runner", () => {
	const owner = newOwner();
	expect(owner).toMatch(new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${process.pid}:[0-9a-f]{6}$`));
	expect(newOwner()).not.toBe(owner);
});

test('a holder is dead when it is this pid under a name not alive here, or a pid of this host that no longer runs', () => {
	vi.useRealTimers();
	const host = hostname();
	const predecessor = `${host}:${process.pid}:0a0b0c`;
	expect(isDeadOwner(`${predecessor}/claim`)).toBe(true);
	markAlive(predecessor);
	expect(isDeadOwner(`${predecessor}/claim`)).toBe(false);
	markStopped(predecessor);
	expect(isDeadOwner(predecessor)).toBe(true);
	// pid_max itself is never given to a process.
	const never = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim());
	expect(isDeadOwner(`${host}:${never}:abcdef/c`)).toBe(true);
	expect(isDeadOwner(`${host}:${process.ppid}:abcdef/c`)).toBe(false);
	// Pid 1 always runs (ours or another user's): never taken for dead.
	expect(isDeadOwner(`${host}:1:abcdef/c`)).toBe(false);
});

test('a holder that cannot be judged is never taken for dead: another host, no pid, a bad pid, no random part', () => {
	vi.useRealTimers();
	const host = hostname();
	const never = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim());
	expect(isDeadOwner(`elsewhere:${never}:abcdef/c`)).toBe(false);
	expect(isDeadOwner(`${host}:${never}:abcdef/c`, 'another-host')).toBe(false);
	expect(isDeadOwner(`${host}:${never}:abcdef/c`, host)).toBe(true);
	for (const claim of [`${host}:x:abcdef`, `${host}:0:abcdef`, `${host}:-5:abcdef`, `${host}:1.5:abcdef`, `${host}:${never}:`, `${host}:${never}`, '', '/c'])
		expect(isDeadOwner(claim), claim).toBe(false);
	// A pid no process can have (past 32 bits): asking about it fails for another reason than "no such process".
	expect(isDeadOwner(`${host}:${2 ** 31}:abcdef/c`)).toBe(false);
});
