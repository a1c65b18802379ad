// Two bots of one host on one database, one of them killed mid-step: the survivor, already running,
// takes its drawings over within seconds (it looks for leases of dead processes of its host every few
// seconds) instead of waiting out their leases. Leases of other hosts are left to run out.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type PollerWorld, startPoller, startPollerWorld } from '../pollerWorld.ts';
import { waitFor } from '../process.ts';

let world: PollerWorld;
beforeAll(async () => {
	world = await startPollerWorld();
});
afterAll(async () => {
	await world?.close();
});

/** The pid of a process that ran on this host and has exited. */
function deadPid(): number {
	const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
	return Number(child.stdout);
}

test('a running bot takes over the drawings of a dead process of its host within seconds, and leaves a live host alone', async () => {
	const inAMinute = new Date(Date.now() + 60_000);
	const dead = { leaseOwner: `${hostname()}:${deadPid()}:abc123/claim`, leaseUntil: inAMinute };
	const elsewhere = { leaseOwner: 'another-host:4242:def456/claim', leaseUntil: inAMinute };
	const orphans = await Promise.all([world.seedPanel({ ...dead }), world.seedPanel({ ...dead, status: 'ready' })]);
	const ready = orphans[1];
	if (!ready) throw new Error('not seeded');
	await world.seedImage(ready.id);
	const held = await world.seedPanel({ ...elsewhere, status: 'ready' });
	await world.seedImage(held.id);

	const survivor = startPoller(await world.process({ leaseMs: 10_000 }), { owner: `${hostname()}:${process.pid}:fed987`, intervalSeconds: 1 });
	try {
		// Waited for only while the dead process's leases are in force: a runner that waited them out fails here.
		await waitFor(
			async () => (await world.db.drawing.count({ where: { id: { in: orphans.map((o) => o.id) }, delivery: 'delivered' } })) === 2,
			inAMinute.getTime() - Date.now() - 2_000,
			() => "the dead process's drawings were not taken over while their leases were in force",
		);
		const other = await world.db.drawing.findUniqueOrThrow({ where: { id: held.id } });
		expect([other.leaseOwner, other.delivery]).toEqual([elsewhere.leaseOwner, 'pending']);
		expect(world.logs.some((line) => line.includes('took over the work of a process that died'))).toBe(true);
	} finally {
		await survivor.stop();
	}
});
